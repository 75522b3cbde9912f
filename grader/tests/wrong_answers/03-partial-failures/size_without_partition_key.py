"""record_size forgets that the partition key counts against the limits."""

EDITS = {
    'plan_batches': [
        ('    return len(record["Data"]) + len(record["PartitionKey"].encode("utf-8"))',
         '    return len(record["Data"])'),
    ],
}

EXPECTED_FAILURES = {
    'test_plan_batches': 'larger than 1 MiB (data plus partition key)',
}

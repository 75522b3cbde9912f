"""record_size forgets that the partition key counts against the limits."""

BELIEVED = "A record's size is the size of its data."

VIOLATES = ['1.3']

EDITS = {
    'plan_batches': [
        ('    return len(record["Data"]) + len(record["PartitionKey"].encode("utf-8"))',
         '    return len(record["Data"])'),
    ],
}

EXPECTED_FAILURES = {
    'test_plan_batches': 'the partition key counts too',
}

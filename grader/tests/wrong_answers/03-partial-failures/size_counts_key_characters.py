"""record_size counts the partition key's characters, not its UTF-8 bytes."""

BELIEVED = 'A partition key of n characters is n bytes.'

VIOLATES = ['1.3']

EDITS = {
    'plan_batches': [
        ('    return len(record["Data"]) + len(record["PartitionKey"].encode("utf-8"))',
         '    return len(record["Data"]) + len(record["PartitionKey"])'),
    ],
}

EXPECTED_FAILURES = {
    'test_plan_batches': 'in UTF-8 bytes',
}

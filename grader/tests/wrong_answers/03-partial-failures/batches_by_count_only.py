"""plan_batches counts records per call but not bytes."""

BELIEVED = 'Only the number of records limits a PutRecords call, not its size in bytes.'

VIOLATES = ['1.2']

EDITS = {
    'plan_batches': [
        ('        if batch and (len(batch) == PUT_RECORDS_MAX_RECORDS\n                      or batch_bytes + size > PUT_RECORDS_MAX_BYTES):',
         '        if batch and len(batch) == PUT_RECORDS_MAX_RECORDS:'),
    ],
}

EXPECTED_FAILURES = {
    'test_plan_batches': 'at most 10,485,760 bytes (10 MiB)',
}

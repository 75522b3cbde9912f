"""plan_batches counts records per call but not bytes."""

EDITS = {
    'plan_batches': [
        ('        if batch and (len(batch) == PUT_RECORDS_MAX_RECORDS\n                      or batch_bytes + size > PUT_RECORDS_MAX_BYTES):',
         '        if batch and len(batch) == PUT_RECORDS_MAX_RECORDS:'),
    ],
}

EXPECTED_FAILURES = {
    'test_plan_batches': 'at most 5,242,880 bytes (5 MiB)',
    'test_limits_respected': "Plan calls within PutRecords' limits",
}

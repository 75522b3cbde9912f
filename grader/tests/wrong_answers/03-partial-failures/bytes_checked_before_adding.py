"""plan_batches checks the call's bytes before adding the record, so a call can go over 10 MiB."""

BELIEVED = 'A call is full once what it already holds is over the limit.'

VIOLATES = ['1.2']

EDITS = {
    'plan_batches': [
        ('batch_bytes + size > PUT_RECORDS_MAX_BYTES',
         'batch_bytes > PUT_RECORDS_MAX_BYTES'),
    ],
}

EXPECTED_FAILURES = {
    'test_plan_batches': 'at most 10,485,760 bytes (10 MiB)',
}

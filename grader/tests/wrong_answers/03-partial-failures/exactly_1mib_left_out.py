"""plan_batches also leaves out a record of exactly 1 MiB."""

BELIEVED = 'A record must be smaller than 1 MiB to be sent.'

VIOLATES = ['1.6']

EDITS = {
    'plan_batches': [
        ('        if size > KINESIS_RECORD_MAX_BYTES:',
         '        if size >= KINESIS_RECORD_MAX_BYTES:'),
    ],
}

EXPECTED_FAILURES = {
    'test_plan_batches': 'A record of exactly 1 MiB fits',
}

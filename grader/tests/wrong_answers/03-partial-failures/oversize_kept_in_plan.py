"""plan_batches puts records over 1 MiB into calls like any other."""

BELIEVED = 'The writer will deal with records that are too large; planning need not.'

VIOLATES = ['1.6']

EDITS = {
    'plan_batches': [
        ('        if size > KINESIS_RECORD_MAX_BYTES:\n            continue\n',
         ''),
    ],
}

EXPECTED_FAILURES = {
    'test_plan_batches': 'no call can carry it',
}

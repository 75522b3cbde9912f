"""plan_batches starts a new call when the current one would reach exactly 10 MiB."""

BELIEVED = 'A call must stay below 10 MiB.'

VIOLATES = ['1.5']

EDITS = {
    'plan_batches': [
        ('batch_bytes + size > PUT_RECORDS_MAX_BYTES',
         'batch_bytes + size >= PUT_RECORDS_MAX_BYTES'),
    ],
}

EXPECTED_FAILURES = {
    'test_plan_batches': 'A call of exactly 10 MiB is within the limit',
}

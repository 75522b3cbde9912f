"""The lease is one second: a duplicate can claim the key while the first still runs."""

EDITS = {
    'claim': [
        ('str(int(now_s) + FUNCTION_TIMEOUT_S)', 'str(int(now_s) + 1)'),
    ],
}

EXPECTED_FAILURES = {
    'test_claim_expires_with_the_lease': 'may still be running',
}

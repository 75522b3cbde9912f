"""The lease is one second: a duplicate can claim the key while the first still runs."""

BELIEVED = "A short lease frees a crashed claim sooner, and an invocation takes about a second."
VIOLATES = ["2.6"]

EDITS = {
    'claim': [
        ('str(int(now_s) + FUNCTION_TIMEOUT_S)', 'str(int(now_s) + 1)'),
    ],
}

EXPECTED_FAILURES = {
    'test_claim_is_conditional': 'It should expire FUNCTION_TIMEOUT_S',
    'test_claim_expires_with_the_lease': 'It should expire FUNCTION_TIMEOUT_S',
}

"""The in-progress lease is twice the function's timeout, "to be safe"."""

BELIEVED = "Doubling the timeout gives a slow invocation a safety margin."
VIOLATES = ["2.6"]

EDITS = {
    'claim': [
        ('str(int(now_s) + FUNCTION_TIMEOUT_S)', 'str(int(now_s) + 2 * FUNCTION_TIMEOUT_S)'),
    ],
}

EXPECTED_FAILURES = {
    'test_claim_expires_with_the_lease': 'It should expire FUNCTION_TIMEOUT_S',
}

"""call_with_retries asks the budget for a token at every failure, before it checks whether
the error is retryable or attempts remain: a call that is not retried still takes a token."""

BELIEVED = "Asking the budget first is harmless: a token taken when no retry follows costs nothing."

VIOLATES = ["3.6"]

EDITS = {
    "call_with_retries": [
        ("""            if attempt == max_attempts - 1 or not is_retryable(error):
                raise
            if budget is not None and not budget.try_spend():
                raise""",
         """            if budget is not None and not budget.try_spend():
                raise
            if attempt == max_attempts - 1 or not is_retryable(error):
                raise"""),
    ],
}

EXPECTED_FAILURES = {
    "test_wrapper_respects_budget": "for 0 retries: a token pays for a retry",
}

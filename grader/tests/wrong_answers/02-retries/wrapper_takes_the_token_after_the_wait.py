"""call_with_retries waits first and only then asks the budget for a token: when the budget
refuses, it gives up after a wait spent for nothing."""

BELIEVED = "Taking the token before or after the backoff wait comes to the same thing."

VIOLATES = ["3.4", "3.6"]

EDITS = {
    "call_with_retries": [
        ("""            if budget is not None and not budget.try_spend():
                raise
            sleep(full_jitter(attempt, base, cap, rng))""",
         """            sleep(full_jitter(attempt, base, cap, rng))
            if budget is not None and not budget.try_spend():
                raise"""),
    ],
}

EXPECTED_FAILURES = {
    "test_wrapper_respects_budget": "take the token first, before the wait",
}

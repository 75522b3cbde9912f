"""call_with_retries prints the error and returns None after the last attempt, instead of
raising it."""

BELIEVED = "Once the retries are used up, reporting the error and returning is enough."

VIOLATES = ["3.4"]

EDITS = {
    "call_with_retries": [
        ("""            if attempt == max_attempts - 1 or not is_retryable(error):
                raise
            if budget is not None and not budget.try_spend():
                raise
            sleep(full_jitter(attempt, base, cap, rng))
    raise ValueError("max_attempts must be at least 1")""",
         """            if not is_retryable(error):
                raise
            if attempt == max_attempts - 1:
                print(f"giving up after {max_attempts} attempts: {error}")
                return None
            if budget is not None and not budget.try_spend():
                raise
            sleep(full_jitter(attempt, base, cap, rng))"""),
    ],
}

EXPECTED_FAILURES = {
    "test_gives_up": "it must raise the last error",
    "test_save_order": "raise that error",
}

"""call_with_retries sleeps after every failure, the last one too, before raising."""

BELIEVED = "Every failure is followed by a backoff wait, the last one included."

VIOLATES = ["3.2", "3.4"]

EDITS = {
    "call_with_retries": [
        ("""    for attempt in range(max_attempts):
        try:
            return operation()
        except Exception as error:
            if attempt == max_attempts - 1 or not is_retryable(error):
                raise
            if budget is not None and not budget.try_spend():
                raise
            sleep(full_jitter(attempt, base, cap, rng))
    raise ValueError("max_attempts must be at least 1")""",
         """    last_error = None
    for attempt in range(max_attempts):
        try:
            return operation()
        except Exception as error:
            if not is_retryable(error):
                raise
            last_error = error
            if budget is not None and not budget.try_spend():
                raise
            sleep(full_jitter(attempt, base, cap, rng))
    raise last_error"""),
    ],
}

EXPECTED_FAILURES = {
    "test_sleeps_with_jitter": "nor after the last failure",
    "test_gives_up": "once it gives up there is nothing to wait for",
}

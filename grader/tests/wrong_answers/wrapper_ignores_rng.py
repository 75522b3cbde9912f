"""call_with_retries draws its jitter from the random module, not from the rng it is given."""

REPLACES = {"call_with_retries": '''
def call_with_retries(operation, *, max_attempts=3, base=0.1, cap=20.0,
                      sleep=time.sleep, rng=random, budget=None):
    """Call ``operation()``, retrying transient errors with full-jitter backoff."""
    for attempt in range(max_attempts):
        try:
            return operation()
        except Exception as error:
            if attempt == max_attempts - 1 or not is_retryable(error):
                raise
            if budget is not None and not budget.try_spend():
                raise
            sleep(full_jitter(attempt, base, cap, random))
'''}

EXPECTED_FAILURES = {
    "test_sleeps_with_jitter": "rng you are given",
}


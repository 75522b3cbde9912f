"""call_with_retries sleeps after every failure, the last one too, before raising."""

REPLACES = {"call_with_retries": '''
def call_with_retries(operation, *, max_attempts=3, base=0.1, cap=20.0,
                      sleep=time.sleep, rng=random, budget=None):
    """Call ``operation()``, retrying transient errors with full-jitter backoff."""
    last_error = None
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
    raise last_error
'''}

EXPECTED_FAILURES = {
    "test_gives_up": "nor after the last failure",
    "test_sleeps_with_jitter": "nor after the last failure",
}

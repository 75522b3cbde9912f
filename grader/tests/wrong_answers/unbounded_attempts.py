"""call_with_retries loops `while True` and ignores max_attempts: retries never stop."""

REPLACES = {"call_with_retries": '''
def call_with_retries(operation, *, max_attempts=3, base=0.1, cap=20.0,
                      sleep=time.sleep, rng=random, budget=None):
    """Call ``operation()``, retrying transient errors with full-jitter backoff."""
    attempt = 0
    while True:
        try:
            return operation()
        except Exception as error:
            if not is_retryable(error):
                raise
            if budget is not None and not budget.try_spend():
                raise
            sleep(full_jitter(attempt, base, cap, rng))
            attempt += 1
'''}

EXPECTED_FAILURES = {
    "test_gives_up": "its attempts are unbounded",
    "test_sleeps_with_jitter": "its attempts are unbounded",
}

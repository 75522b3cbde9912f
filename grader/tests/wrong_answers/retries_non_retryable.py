"""call_with_retries never asks is_retryable: it retries every exception, bugs included."""

REPLACES = {"call_with_retries": '''
def call_with_retries(operation, *, max_attempts=3, base=0.1, cap=20.0,
                      sleep=time.sleep, rng=random, budget=None):
    """Call ``operation()``, retrying transient errors with full-jitter backoff."""
    for attempt in range(max_attempts):
        try:
            return operation()
        except Exception:
            if attempt == max_attempts - 1:
                raise
            if budget is not None and not budget.try_spend():
                raise
            sleep(full_jitter(attempt, base, cap, rng))
'''}

EXPECTED_FAILURES = {
    "test_non_retryable": "can never succeed on retry: raise it at once",
}

"""call_with_retries prints the error and returns None after the last attempt, instead of
raising it."""

REPLACES = {"call_with_retries": '''
def call_with_retries(operation, *, max_attempts=3, base=0.1, cap=20.0,
                      sleep=time.sleep, rng=random, budget=None):
    """Call ``operation()``, retrying transient errors with full-jitter backoff."""
    for attempt in range(max_attempts):
        try:
            return operation()
        except Exception as error:
            if not is_retryable(error):
                raise
            if attempt == max_attempts - 1:
                print(f"giving up after {max_attempts} attempts: {error}")
                return None
            if budget is not None and not budget.try_spend():
                raise
            sleep(full_jitter(attempt, base, cap, rng))
'''}

EXPECTED_FAILURES = {
    "test_gives_up": "returned normally: it must raise the last error",
}

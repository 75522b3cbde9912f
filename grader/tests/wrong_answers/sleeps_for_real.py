"""call_with_retries waits with time.sleep instead of the sleep it is given."""

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
            time.sleep(full_jitter(attempt, base, cap, rng))
'''}

EXPECTED_FAILURES = {
    "test_retries_until_success": "Did you call time.sleep? Wait through the sleep you are given",
    "test_gives_up": "Did you call time.sleep? Wait through the sleep you are given",
    "test_sleeps_with_jitter": "Did you call time.sleep? Wait through the sleep you are given",
    "test_save_order": "Did you call time.sleep?",
}

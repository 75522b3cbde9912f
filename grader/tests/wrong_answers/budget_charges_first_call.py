"""call_with_retries takes a budget token before every call, the first one included."""

REPLACES = {"call_with_retries": '''
def call_with_retries(operation, *, max_attempts=3, base=0.1, cap=20.0,
                      sleep=time.sleep, rng=random, budget=None):
    """Call ``operation()``, retrying transient errors with full-jitter backoff."""
    last_error = RuntimeError("retry budget exhausted")
    for attempt in range(max_attempts):
        if budget is not None and not budget.try_spend():
            break
        try:
            return operation()
        except Exception as error:
            if attempt == max_attempts - 1 or not is_retryable(error):
                raise
            last_error = error
            sleep(full_jitter(attempt, base, cap, rng))
    raise last_error
'''}

EXPECTED_FAILURES = {
    "test_wrapper_respects_budget": "should be tried once and retried twice (3 calls); "
                                    "your wrapper made 2",
}

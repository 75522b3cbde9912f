"""call_with_retries calls budget.try_spend() but retries whatever it answers."""

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
            if budget is not None:
                budget.try_spend()
            sleep(full_jitter(attempt, base, cap, rng))
'''}

EXPECTED_FAILURES = {
    "test_wrapper_respects_budget": "should be tried once and retried twice (3 calls); "
                                    "your wrapper made 10",
}

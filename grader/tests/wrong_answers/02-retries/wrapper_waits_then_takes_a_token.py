"""call_with_retries as a while loop that waits first and then takes the budget token: when
the budget refuses, it gives up after a wait spent for nothing."""

BELIEVED = "The token can be taken after the backoff wait, just before the call it pays for."

VIOLATES = ["3.4", "3.6"]

ANSWERS = {
    "call_with_retries": '''
def call_with_retries(operation, *, max_attempts=3, base=0.1, cap=20.0,
                      sleep=time.sleep, rng=random, budget=None):
    """Call operation() until it works, backing off with full jitter in between."""
    retries = 0
    if budget is not None:
        budget.deposit()
    while True:
        try:
            result = operation()
        except Exception as error:
            if not is_retryable(error) or retries + 1 >= max_attempts:
                print(f"giving up after {retries + 1} call(s): {error!r}")
                raise
            sleep(full_jitter(retries, base, cap, rng))
            if budget is not None and not budget.try_spend():
                print("retry budget exhausted")
                raise
            retries += 1
        else:
            return result
''',
}

EXPECTED_FAILURES = {
    "test_wrapper_respects_budget": "take the token first, before the wait",
}

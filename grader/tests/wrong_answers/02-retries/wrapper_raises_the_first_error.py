"""call_with_retries remembers the first error and raises it when it gives up, not the last
call's."""

BELIEVED = "The first error is the root cause, so it is the one to report."

VIOLATES = ["3.4"]

ANSWERS = {
    "call_with_retries": '''
def call_with_retries(operation, *, max_attempts=3, base=0.1, cap=20.0,
                      sleep=time.sleep, rng=random, budget=None):
    """Try up to max_attempts times; report the original failure."""
    original = None
    for retry in range(max_attempts):
        if retry > 0:
            if budget is not None and not budget.try_spend():
                break
            sleep(full_jitter(retry - 1, base, cap, rng))
        try:
            return operation()
        except Exception as error:
            if not is_retryable(error):
                raise
            if original is None:
                original = error
    raise original
''',
}

EXPECTED_FAILURES = {
    "test_gives_up": "That is an earlier call's error",
}

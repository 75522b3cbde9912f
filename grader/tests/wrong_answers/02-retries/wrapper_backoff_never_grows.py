"""call_with_retries waits a random part of base before every retry: its window never grows."""

BELIEVED = "Jitter alone spreads the retries out, so the window can stay at base for every retry."

VIOLATES = ["3.2"]

ANSWERS = {
    "call_with_retries": '''
def call_with_retries(operation, *, max_attempts=3, base=0.1, cap=20.0,
                      sleep=time.sleep, rng=random, budget=None):
    """Call operation(), retrying transient errors after a short random pause."""
    attempts = 0
    while True:
        attempts += 1
        try:
            return operation()
        except Exception as problem:
            out_of_tries = attempts >= max_attempts
            if out_of_tries or not is_retryable(problem):
                raise
            if budget and not budget.try_spend():
                raise
            pause = min(cap, rng.uniform(0, base))  # jitter keeps clients apart
            sleep(pause)
''',
}

EXPECTED_FAILURES = {
    "test_sleeps_with_jitter": "Its window never grows",
}

"""call_with_retries that decides in another order (attempts left, then retryable), draws
the wait from rng before it asks the budget, and sleeps only once the token is granted (the
instructions leave both open), in a while loop that counts its calls."""

ANSWERS = {
    "call_with_retries": '''
def call_with_retries(operation, *, max_attempts=3, base=0.1, cap=20.0,
                      sleep=time.sleep, rng=random, budget=None):
    """Call operation(); retry transient failures while attempts and the budget allow."""
    calls = 0
    if budget:
        budget.deposit()
    while True:
        calls += 1
        try:
            return operation()
        except Exception as error:
            out_of_attempts = calls >= max_attempts
            if out_of_attempts or not is_retryable(error):
                raise
            delay = full_jitter(calls - 1, base, cap, rng)
            granted = True if budget is None else budget.try_spend()
            if not granted:
                raise
            sleep(delay)
''',
}

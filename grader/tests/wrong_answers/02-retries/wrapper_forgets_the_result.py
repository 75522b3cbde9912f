"""call_with_retries breaks out of its loop on success but never returns the result."""

BELIEVED = "The operation's side effect is what matters; its result need not be passed back."

VIOLATES = ["3.1"]

ANSWERS = {
    "call_with_retries": '''
def call_with_retries(operation, *, max_attempts=3, base=0.1, cap=20.0,
                      sleep=time.sleep, rng=random, budget=None):
    tries = 0
    while tries < max_attempts:
        tries += 1
        try:
            operation()
            break
        except Exception as error:
            if tries == max_attempts or not is_retryable(error):
                raise
            if budget is not None and not budget.try_spend():
                raise
            sleep(full_jitter(tries - 1, base, cap, rng))
''',
}

EXPECTED_FAILURES = {
    "test_retries_until_success": "call_with_retries should return what the operation returned",
}

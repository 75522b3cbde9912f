"""call_with_retries as a recursive helper that asks the budget at every failure, even when
it will not retry (the instructions leave that open), and checks the budget's answer last."""

ANSWERS = {
    "call_with_retries": '''
def call_with_retries(operation, *, max_attempts=3, base=0.1, cap=20.0,
                      sleep=time.sleep, rng=random, budget=None):
    """Try operation(); on a transient failure, wait and try again, up to max_attempts."""

    def attempt(number):
        try:
            return operation()
        except Exception as error:
            allowed = budget is None or budget.try_spend()
            if number + 1 >= max_attempts or not is_retryable(error) or not allowed:
                raise
            sleep(full_jitter(number, base, cap, rng))
            return attempt(number + 1)

    return attempt(0)
''',
}

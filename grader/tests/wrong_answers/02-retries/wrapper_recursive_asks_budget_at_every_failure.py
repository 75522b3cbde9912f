"""call_with_retries as a recursive helper that asks the budget at every failure, even when
it will not retry, and checks the budget's answer last: an error that is not retried, and
the last attempt, still take a token."""

BELIEVED = "Asking the budget at every failure is harmless when the answer is looked at last."

VIOLATES = ["3.6"]

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

    if budget is not None:
        budget.deposit()
    return attempt(0)
''',
}

EXPECTED_FAILURES = {
    "test_wrapper_respects_budget": "for 0 retries: a token pays for a retry",
}

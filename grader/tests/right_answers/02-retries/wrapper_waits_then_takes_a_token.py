"""call_with_retries as a while loop that waits first and then takes the budget token (the
order the instructions leave open), with a try/except/else and a line printed when it gives
up."""

ANSWERS = {
    "call_with_retries": '''
def call_with_retries(operation, *, max_attempts=3, base=0.1, cap=20.0,
                      sleep=time.sleep, rng=random, budget=None):
    """Call operation() until it works, backing off with full jitter in between."""
    retries = 0
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

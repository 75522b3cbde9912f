"""call_with_retries catches only ClientError, so timeouts and dropped connections escape at
the first try."""

BELIEVED = "Every error a boto3 call raises is a ClientError."

VIOLATES = ["3.2"]

ANSWERS = {
    "call_with_retries": '''
def call_with_retries(operation, *, max_attempts=3, base=0.1, cap=20.0,
                      sleep=time.sleep, rng=random, budget=None):
    """Retry throttled and failed AWS calls with full jitter."""
    retry = 0
    while True:
        try:
            return operation()
        except ClientError as error:
            last_try = retry + 1 >= max_attempts
            if last_try or not is_retryable(error):
                raise
            if budget is not None and not budget.try_spend():
                raise
            sleep(full_jitter(retry, base, cap, rng))
            retry += 1
''',
}

EXPECTED_FAILURES = {
    "test_sleeps_with_jitter": "a retryable error",
    "test_retries_until_success": "Every one of those faults is transient",
}

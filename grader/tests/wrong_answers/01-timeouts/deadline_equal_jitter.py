"""call_with_deadline waits half the ceiling plus a random half ('equal jitter')."""

BELIEVED = "Any jitter spreads retries out; keeping half the backoff fixed is safer."
VIOLATES = ["3.3"]

ANSWERS = {
    "call_with_deadline": '''\
RETRYABLE_ERRORS = (ReadTimeoutError, ConnectTimeoutError, EndpointConnectionError,
                    ConnectionClosedError)


def call_with_deadline(operation, *, deadline_s, attempt_timeout_s, clock, sleep, rng,
                       base=0.05, cap=1.0):
    def jittered_wait(retry):
        half = min(cap, base * 2**retry) / 2
        return half + rng.uniform(0, half)

    start_s = clock()
    error = None
    retry = 0
    while clock() - start_s + attempt_timeout_s <= deadline_s:
        try:
            return operation()
        except RETRYABLE_ERRORS as caught:
            error = caught
        wait_s = jittered_wait(retry)
        if clock() - start_s + wait_s + attempt_timeout_s > deadline_s:
            break
        sleep(wait_s)
        retry += 1
    raise TimeoutError("deadline reached") from error
''',
}

EXPECTED_FAILURES = {
    "test_deadline_jitter": "should be rng.uniform(0, min(cap, base * 2**",
}

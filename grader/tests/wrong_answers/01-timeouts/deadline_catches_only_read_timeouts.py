"""call_with_deadline retries read timeouts only, not connect timeouts nor dropped connections."""

BELIEVED = "A timeout is a ReadTimeoutError; the other connection errors are not timeouts."
VIOLATES = ["3.2"]

ANSWERS = {
    "call_with_deadline": '''\
RETRYABLE_ERRORS = (ReadTimeoutError, ConnectTimeoutError, EndpointConnectionError,
                    ConnectionClosedError)


def call_with_deadline(operation, *, deadline_s, attempt_timeout_s, clock, sleep, rng,
                       base=0.05, cap=1.0):
    start = clock()
    attempt = 0
    while True:
        elapsed = clock() - start
        if elapsed + attempt_timeout_s > deadline_s:
            raise TimeoutError("deadline exceeded")
        try:
            return operation()
        except ReadTimeoutError as exc:
            error = exc
        delay = rng.uniform(0, min(cap, base * 2 ** attempt))
        if clock() - start + delay + attempt_timeout_s > deadline_s:
            raise TimeoutError("deadline exceeded") from error
        sleep(delay)
        attempt += 1
''',
}

EXPECTED_FAILURES = {
    "test_deadline_retries_timeouts": "one of the four errors to try again",
}

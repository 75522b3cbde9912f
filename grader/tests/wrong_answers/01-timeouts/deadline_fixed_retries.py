"""call_with_deadline gives up after three retries even when the deadline has room for more."""

BELIEVED = "Retries need a fixed bound as well as the deadline; three is the usual one."
VIOLATES = ["3.2"]

ANSWERS = {
    "call_with_deadline": '''\
RETRYABLE_ERRORS = (ReadTimeoutError, ConnectTimeoutError, EndpointConnectionError,
                    ConnectionClosedError)


def call_with_deadline(operation, *, deadline_s, attempt_timeout_s, clock, sleep, rng,
                       base=0.05, cap=1.0):
    """At most 1 + 3 attempts, all inside the deadline."""
    t0 = clock()
    failure = None
    for retry in range(4):
        if retry:
            wait = rng.uniform(0, min(cap, base * 2 ** (retry - 1)))
            if clock() - t0 + wait + attempt_timeout_s > deadline_s:
                break
            sleep(wait)
        elif attempt_timeout_s > deadline_s:
            break
        try:
            return operation()
        except RETRYABLE_ERRORS as exc:
            failure = exc
    raise TimeoutError("gave up") from failure
''',
}

EXPECTED_FAILURES = {
    "test_deadline_retries_timeouts": "the deadline still had room",
}

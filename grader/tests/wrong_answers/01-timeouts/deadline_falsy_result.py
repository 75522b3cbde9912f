"""call_with_deadline takes a None result for 'no result yet' and calls again."""

BELIEVED = "An operation that worked always returns something; None means it has not worked yet."
VIOLATES = ["3.1"]

ANSWERS = {
    "call_with_deadline": '''\
RETRYABLE_ERRORS = (ReadTimeoutError, ConnectTimeoutError, EndpointConnectionError,
                    ConnectionClosedError)


def call_with_deadline(operation, *, deadline_s, attempt_timeout_s, clock, sleep, rng,
                       base=0.05, cap=1.0):
    started = clock()
    result = None
    retry = 0
    last = None
    while result is None:
        if clock() - started + attempt_timeout_s > deadline_s:
            raise TimeoutError("out of time") from last
        try:
            result = operation()
        except RETRYABLE_ERRORS as error:
            last = error
            wait = rng.uniform(0, min(cap, base * 2**retry))
            if clock() - started + wait + attempt_timeout_s > deadline_s:
                raise TimeoutError("out of time") from error
            sleep(wait)
            retry += 1
    return result
''',
}

EXPECTED_FAILURES = {
    "test_deadline_retries_timeouts": "return its result at once",
}

"""call_with_deadline measures the deadline from the start of each attempt, not of the call."""

BELIEVED = "The deadline is the time each try may take, waits included."
VIOLATES = ["3.5"]

ANSWERS = {
    "call_with_deadline": '''\
RETRYABLE_ERRORS = (ReadTimeoutError, ConnectTimeoutError, EndpointConnectionError,
                    ConnectionClosedError)


def call_with_deadline(operation, *, deadline_s, attempt_timeout_s, clock, sleep, rng,
                       base=0.05, cap=1.0):
    retries = 0
    previous = None
    while True:
        begin = clock()
        if attempt_timeout_s > deadline_s:
            raise TimeoutError("the deadline is shorter than one attempt") from previous
        try:
            return operation()
        except RETRYABLE_ERRORS as err:
            previous = err
        pause = rng.uniform(0, min(cap, base * (2 ** retries)))
        if clock() - begin + pause + attempt_timeout_s > deadline_s:
            raise TimeoutError("no time left for another attempt") from previous
        sleep(pause)
        retries += 1
''',
}

EXPECTED_FAILURES = {
    "test_deadline_never_outlived": "past the",
}

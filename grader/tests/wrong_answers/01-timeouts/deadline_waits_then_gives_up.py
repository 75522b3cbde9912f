"""call_with_deadline sleeps first and only then checks that another attempt fits."""

BELIEVED = "Checking the deadline right before each attempt is all it takes to keep it."
VIOLATES = ["3.6"]

ANSWERS = {
    "call_with_deadline": '''\
RETRYABLE_ERRORS = (ReadTimeoutError, ConnectTimeoutError, EndpointConnectionError,
                    ConnectionClosedError)


def call_with_deadline(operation, *, deadline_s, attempt_timeout_s, clock, sleep, rng,
                       base=0.05, cap=1.0):
    t0 = clock()
    n = 0
    err = None
    while clock() - t0 + attempt_timeout_s <= deadline_s:
        if n:
            sleep(rng.uniform(0, min(cap, base * 2 ** (n - 1))))
            if clock() - t0 + attempt_timeout_s > deadline_s:
                break
        try:
            return operation()
        except RETRYABLE_ERRORS as e:
            err = e
        n += 1
    raise TimeoutError(f"gave up after {n} attempts") from err
''',
}

EXPECTED_FAILURES = {
    "test_deadline_never_outlived": "a wait that no attempt can follow",
}

"""call_with_deadline checks the time left before drawing a wait, and prints what it does."""

ANSWERS = {
    "call_with_deadline": '''\
RETRYABLE_ERRORS = (ReadTimeoutError, ConnectTimeoutError, EndpointConnectionError,
                    ConnectionClosedError)


def call_with_deadline(operation, *, deadline_s, attempt_timeout_s, clock, sleep, rng,
                       base=0.05, cap=1.0):
    start = clock()
    retry, last = 0, None
    while True:
        spent = clock() - start
        if spent + attempt_timeout_s > deadline_s:
            print(f"giving up after {retry} retries, {spent:.3f} s")
            raise TimeoutError(f"deadline of {deadline_s} s reached") from last
        try:
            result = operation()
        except RETRYABLE_ERRORS as error:
            print(f"attempt {retry + 1}: {type(error).__name__}")
            last = error
        else:
            return result
        if clock() - start + attempt_timeout_s > deadline_s:
            raise TimeoutError(f"deadline of {deadline_s} s reached") from last
        ceiling = min(cap, base * 2**retry)
        wait = rng.uniform(0, ceiling)
        if clock() - start + wait + attempt_timeout_s > deadline_s:
            raise TimeoutError(f"deadline of {deadline_s} s reached") from last
        sleep(wait)
        retry += 1
''',
}

"""call_with_deadline retries by recursion, passing the time left down to each retry."""

ANSWERS = {
    "call_with_deadline": '''\
RETRYABLE_ERRORS = (ReadTimeoutError, ConnectTimeoutError, EndpointConnectionError,
                    ConnectionClosedError)


def call_with_deadline(operation, *, deadline_s, attempt_timeout_s, clock, sleep, rng,
                       base=0.05, cap=1.0):
    started = clock()

    def left():
        return deadline_s - (clock() - started)

    def attempt(retry, cause):
        if left() < attempt_timeout_s:
            raise TimeoutError("out of time") from cause
        try:
            return operation()
        except RETRYABLE_ERRORS as error:
            if left() < attempt_timeout_s:
                raise TimeoutError("out of time") from error
            wait = rng.uniform(0, min(cap, base * 2**retry))
            if left() < wait + attempt_timeout_s:
                raise TimeoutError("out of time") from error
            sleep(wait)
            return attempt(retry + 1, error)

    return attempt(0, None)
''',
}

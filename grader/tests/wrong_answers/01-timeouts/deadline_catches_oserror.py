"""call_with_deadline retries OSError: two of the four errors, and errors that are not timeouts."""

BELIEVED = "Timeouts and connection errors are all OSErrors, so catching OSError catches them."
VIOLATES = ["3.2", "3.4"]

ANSWERS = {
    "call_with_deadline": '''\
import itertools

RETRYABLE_ERRORS = (ReadTimeoutError, ConnectTimeoutError, EndpointConnectionError,
                    ConnectionClosedError)


def call_with_deadline(operation, *, deadline_s, attempt_timeout_s, clock, sleep, rng,
                       base=0.05, cap=1.0):
    deadline_at = clock() + deadline_s
    cause = None
    for retry in itertools.count():
        if clock() + attempt_timeout_s > deadline_at:
            raise TimeoutError(f"{deadline_s} s deadline reached") from cause
        try:
            return operation()
        except OSError as exc:  # timeouts and connection errors are OSErrors
            cause = exc
        backoff = rng.uniform(0, min(cap, base * 2**retry))
        if clock() + backoff + attempt_timeout_s > deadline_at:
            raise TimeoutError(f"{deadline_s} s deadline reached") from cause
        sleep(backoff)
''',
}

EXPECTED_FAILURES = {
    "test_deadline_retries_timeouts": "one of the four errors to try again",
    "test_deadline_non_retryable": "should raise that error unchanged",
}

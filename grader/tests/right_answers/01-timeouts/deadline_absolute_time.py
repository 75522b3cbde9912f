"""call_with_deadline keeps an absolute deadline, reads clock.now(), logs, and raises its own
TimeoutError subclass; waits are rng.random() * ceiling."""

ANSWERS = {
    "call_with_deadline": '''\
import itertools
import logging

RETRYABLE_ERRORS = (ReadTimeoutError, ConnectTimeoutError, EndpointConnectionError,
                    ConnectionClosedError)


def call_with_deadline(operation, *, deadline_s, attempt_timeout_s, clock, sleep, rng,
                       base=0.05, cap=1.0):
    class DeadlineExceeded(TimeoutError):
        """No room left in the deadline for another attempt."""

    log = logging.getLogger("deadline")
    give_up_at = clock.now() + deadline_s
    failure = None
    for retry in itertools.count():
        if clock.now() + attempt_timeout_s > give_up_at:
            raise DeadlineExceeded(f"{deadline_s} s deadline") from failure
        try:
            return operation()
        except RETRYABLE_ERRORS as error:
            failure = error
            log.warning("attempt %d failed: %r", retry + 1, error)
        pause = rng.random() * min(cap, base * 2**retry)
        if clock.now() + pause + attempt_timeout_s > give_up_at:
            raise DeadlineExceeded(f"{deadline_s} s deadline") from failure
        sleep(pause)
''',
}

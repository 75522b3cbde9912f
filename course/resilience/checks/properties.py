"""Property-based checks: a lab's contract tried on many generated inputs (Hypothesis), with
the smallest input that breaks it in the message.

A check says what must hold for one input (``prove(example)``, which fails with the check's
usual teaching message) and where the inputs come from (a Hypothesis strategy).
``for_all`` tries it on inputs generated from a seed: the same seed tries the same inputs,
so a regrade gives the same score, and a correct answer never fails by chance. When an
input fails, Hypothesis shrinks it to the smallest one that still fails, and the message
shows that one: the case a learner can rerun by hand.

The strategies below build the error families the labs name (throttling, server errors,
timeouts and dropped connections, errors that no retry can fix), taken from botocore's own
standard retry mode where botocore defines the family.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from hypothesis import HealthCheck, Phase, Verbosity, example, given, settings
from hypothesis import seed as hypothesis_seed
from hypothesis import strategies as st

from resilience.checks.explain import explain, explain_error

__all__ = [
    "EXAMPLES",
    "for_all",
    "client_errors",
    "throttling_errors",
    "server_errors",
    "connection_errors",
    "permanent_errors",
]

EXAMPLES = 40  # generated inputs per property (each may cross the grader's process boundary)
# Errors that end a check at once, unshrunk: the grader's time limit and a learner process
# that ended are not properties of the input.
STOPPING_ERRORS = ("LearnerTimeout", "WireError")


class _Stop(BaseException):
    """Carries an error past Hypothesis, which would otherwise shrink it as a failure."""

    def __init__(self, error: BaseException):
        super().__init__(error)
        self.error = error


def _draw_the_same_inputs_in_every_process() -> None:
    """Make a seed alone decide the inputs. Hypothesis (since 6.131) sometimes draws
    constants it finds in the source of the local modules the process has loaded; the
    grader, a notebook and a test worker load different modules, so one seed drew different
    inputs in each, and a rerun line or a regrade could miss the case that failed. The pool
    of local constants is pinned empty (Hypothesis's own constants stay in use)."""
    from hypothesis.internal.conjecture import providers

    providers.HypothesisProvider._local_constants = providers.Constants()  # type: ignore[assignment]
    providers.CONSTANTS_CACHE.cache.clear()


_draw_the_same_inputs_in_every_process()


def _settings(examples: int) -> settings:
    """Deterministic and quiet: no example database, no deadline (the process boundary's
    latency is not the learner's), no health checks (slow strategies are ours)."""
    return settings(max_examples=examples, database=None, deadline=None,
                    derandomize=False, verbosity=Verbosity.quiet, print_blob=False,
                    report_multiple_bugs=False, suppress_health_check=list(HealthCheck),
                    phases=(Phase.explicit, Phase.generate, Phase.shrink))


def _words(error: BaseException) -> str:
    """What a failure says: a check's own message, or the learner's error in the words the
    grader and the visible tests give it (an error that crossed the process boundary by
    name keeps its name)."""
    if isinstance(error, BaseExceptionGroup):  # Hypothesis's report of a flaky failure
        error = error.exceptions[0]
    if isinstance(error, AssertionError):
        return str(error)
    type_name = getattr(error, "type_name", None)
    if isinstance(type_name, str):
        return explain_error(type_name, getattr(error, "message", None) or None)
    return explain(error)


def for_all(strategy: st.SearchStrategy, prove: Callable[[Any], None], *, seed: int,
            examples: int = EXAMPLES, show: Callable[[Any], str] = repr,
            always: Sequence[Any] = ()) -> None:
    """Check ``prove(example)`` on the ``always`` inputs, then on ``examples`` inputs drawn
    from ``strategy`` under ``seed``; on a failure, raise ``AssertionError`` with its
    message and the smallest failing input (``show`` writes it out). ``always`` holds the
    cases no grading may leave to chance."""
    failing: list[Any] = []

    def attempt(example):
        try:
            prove(example)
        except Exception as error:
            if type(error).__name__ in STOPPING_ERRORS:
                raise _Stop(error) from None
            failing.append(example)  # the last one recorded is the shrunk one, replayed
            raise

    run = given(strategy)(attempt)
    for case in reversed(always):  # the innermost @example is tried first
        run = example(case)(run)
    run = hypothesis_seed(seed)(_settings(examples)(run))
    try:
        run()
    except _Stop as stop:
        raise stop.error from None
    except Exception as error:  # noqa: BLE001 - every failure of the input becomes feedback
        smallest = show(failing[-1]) if failing else "(not recorded)"
        raise AssertionError(f"{_words(error)}\nThe smallest input that fails it: "
                             f"{smallest}") from None


# -- error families ---------------------------------------------------------------------------

ENDPOINT = "https://dynamodb.us-east-1.amazonaws.com"


def client_errors(codes: st.SearchStrategy[str], statuses: st.SearchStrategy[int],
                  operations: st.SearchStrategy[str] | None = None):
    """``ClientError``s as a service raises them: a code, an HTTP status, an operation
    (``PutItem`` unless ``operations`` says otherwise)."""
    from botocore.exceptions import ClientError

    def build(code: str, status: int, operation: str):
        response = {"Error": {"Code": code, "Message": f"{code} (made by the test)"},
                    "ResponseMetadata": {"HTTPStatusCode": status}}
        return ClientError(response, operation)

    if operations is None:
        operations = st.just("PutItem")
    return st.builds(build, codes, statuses, operations)


def throttling_codes() -> list[str]:
    """The error codes botocore's standard retry mode treats as throttling."""
    from botocore.retries.standard import ThrottledRetryableChecker

    return list(ThrottledRetryableChecker._THROTTLED_ERROR_CODES)


def throttling_errors():
    """A service saying "slow down": every throttling code botocore knows, with HTTP 400
    (or 429, as some services send it)."""
    return client_errors(st.sampled_from(throttling_codes()), st.sampled_from([400, 429]))


def server_errors():
    """A service failing on its side: any HTTP 5xx, with a code of the service's choice."""
    codes = st.sampled_from(["InternalServerError", "InternalFailure", "ServiceUnavailable",
                             "InternalError", "BadGateway", "GatewayTimeout"])
    return client_errors(codes, st.integers(500, 599))


def connection_errors():
    """Timeouts and dropped connections, as botocore raises them: the request may or may not
    have reached the service."""
    from botocore.exceptions import (
        ConnectionClosedError,
        ConnectTimeoutError,
        EndpointConnectionError,
        ReadTimeoutError,
    )

    kinds = [ReadTimeoutError, ConnectTimeoutError, EndpointConnectionError,
             ConnectionClosedError]
    return st.sampled_from(kinds).map(lambda kind: kind(endpoint_url=ENDPOINT))


PERMANENT_CODES = {  # errors no retry can fix, with the HTTP status services send them with
    "ValidationException": 400,
    "SerializationException": 400,
    "AccessDeniedException": 400,
    "UnrecognizedClientException": 400,
    "ConditionalCheckFailedException": 400,
    "ResourceNotFoundException": 400,
    "ItemCollectionSizeLimitExceededException": 400,
    "InvalidParameterValueException": 400,
    "NotAuthorized": 403,
    "NoSuchKey": 404,
}


def permanent_errors():
    """A service judging the request itself wrong, forbidden or impossible: 4xx codes that
    are not throttling."""
    return st.sampled_from(sorted(PERMANENT_CODES)).flatmap(
        lambda code: client_errors(st.just(code), st.just(PERMANENT_CODES[code])))

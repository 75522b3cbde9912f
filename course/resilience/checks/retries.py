"""Checks for lab 02: backoff strategies, what to retry, a retry wrapper, a retry budget, and
a DynamoDB write that survives throttling.

The lab's contract fixes every delay: each is one ``rng.uniform`` draw from the generator
the test gives, by a formula the instructions state. So the jitter checks replay the same
draws on a twin generator and compare values, not averages, and a hidden check tries the
formula on generated bases, caps, attempts and seeds. The wrapper and the budget are
compared with the lab's reference answers (``grader.reference``) on generated scenarios:
the same operation failures, the same seed, the same budget; what they may do differently
(a request for a token that the budget refuses after the last call, which takes nothing) is
left out of the comparison.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from botocore.client import BaseClient
from botocore.exceptions import (
    ClientError,
    ConnectionClosedError,
    ConnectTimeoutError,
    EndpointConnectionError,
    NoCredentialsError,
    NoRegionError,
    ParamValidationError,
    ReadTimeoutError,
)
from hypothesis import strategies as st

from resilience.checks import (
    RUNAWAY_CALLS,
    TooManyCalls,
    client_error,
    expect,
    expect_sleeps,
    stop_runaway,
    varied,
)
from resilience.checks.properties import (
    PERMANENT_CODES,
    STOPPING_ERRORS,
    for_all,
    server_errors,
    throttling_codes,
)
from resilience.checks.requirements import Requirement
from resilience.clock import SimClock
from resilience.models.retrybudget import RetryBudget as ShareBudget

if TYPE_CHECKING:  # the sandbox is imported where a check makes one
    from resilience.sandbox import Sandbox

LAB = "02-retries"

REQUIREMENTS = (
    Requirement("1.1", "`exponential_backoff(attempt, base, cap)` returns `t`, with no "
                "randomness", ("test_exponential_backoff",)),
    Requirement("1.2", "`full_jitter(attempt, base, cap, rng)` returns `rng.uniform(0, t)`",
                ("test_full_jitter",),
                leaves_open="Any expression equal to that draw (`t * rng.random()`, "
                "`rng.uniform(0, 1) * t`): checks compare values to 1e-9, relatively."),
    Requirement("1.3", "`equal_jitter(attempt, base, cap, rng)` returns "
                "`t / 2 + rng.uniform(0, t / 2)`", ("test_equal_jitter",),
                leaves_open="Any expression equal to that draw (`rng.uniform(t / 2, t)`, "
                "`t / 2 + t / 2 * rng.random()`): checks compare values to 1e-9, relatively."),
    Requirement("1.4", "`decorrelated_jitter(previous, base, cap, rng)` returns "
                "`min(cap, rng.uniform(base, 3 * previous))`", ("test_decorrelated_jitter",)),
    Requirement("1.5", "Each jittered delay is one draw from `rng` (a `random.Random`), never "
                "from the `random` module: the same seed gives the same delays.",
                ("test_full_jitter", "test_equal_jitter", "test_decorrelated_jitter")),
    Requirement("2.1", "a `ClientError` whose code is in `THROTTLING_CODES`",
                ("test_is_retryable",)),
    Requirement("2.2", "a `ClientError` with an HTTP status of 500 or above, whatever its code",
                ("test_is_retryable",)),
    Requirement("2.3", "`ReadTimeoutError`, `ConnectTimeoutError`, `EndpointConnectionError` "
                "and `ConnectionClosedError`", ("test_is_retryable",)),
    Requirement("2.4", "nothing else: not a request the service judged wrong, forbidden or "
                "impossible", ("test_is_retryable",),
                leaves_open="A 4xx ClientError whose code is not in THROTTLING_CODES but that "
                "botocore's standard mode retries anyway (RequestTimeout, or HTTP 429 with "
                "another code): the tests never send one. Other connection failures of "
                "botocore (SSLError, ProxyConnectionError), which its standard mode retries, "
                "are not among the errors named: retrying them or not both count right. "
                "is_retryable may return any true or false value, not only True and False."),
    Requirement("3.1", "it returns what `operation()` returned, as soon as a call succeeds",
                ("test_retries_until_success",)),
    Requirement("3.2", "when a call raises a retryable error and attempts remain, it waits "
                "`full_jitter(retry, base, cap, rng)` through `sleep`",
                ("test_retries_until_success", "test_sleeps_with_jitter")),
    Requirement("3.3", "`max_attempts` counts every call, the first included",
                ("test_gives_up",)),
    Requirement("3.4", "when it gives up, it raises the error of the last call",
                ("test_gives_up", "test_wrapper_respects_budget")),
    Requirement("3.5", "an error that is not retryable is raised at once: no wait, no retry",
                ("test_non_retryable",)),
    Requirement("3.6", "if a `budget` is given, `call_with_retries` pays into it once with "
                "`budget.deposit()`", ("test_wrapper_respects_budget",),
                leaves_open="When it deposits, as long as it is once per request and before "
                "the first token is asked for (at the start, or once the first call has ended). "
                "In which order the wrapper decides to retry (the error is "
                "retryable, attempts remain) before it takes the token, and whether it draws "
                "the wait from rng before or after: checks compare calls, tokens and waits. A "
                "request the budget refuses takes nothing: one after the last call is "
                "ignored. Not open: the token comes first, before the wait (a wrapper refused "
                "after waiting has spent a wait before giving up), and only when a retry "
                "follows (a token taken after an error that is not retryable, or after the "
                "last attempt, drains a budget other callers share)."),
    Requirement("4.1", "holds at most `capacity` tokens, and starts full", ("test_budget",)),
    Requirement("4.2", "`deposit()` adds one token, for one request; a full budget stays full",
                ("test_budget", "test_wrapper_respects_budget")),
    Requirement("4.3", "`try_spend()` takes `retry_cost` tokens and returns `True`; with fewer "
                "than `retry_cost` tokens it takes nothing and returns `False`",
                ("test_budget", "test_wrapper_respects_budget")),
    Requirement("5.1", "it writes the order to the `orders` table with `put_item`",
                ("test_save_order",),
                leaves_open="How the total is written as a string: any text DynamoDB reads "
                'as the same number passes ("1999", "1999.0", "1.999E+3", "1e-07"). Not a '
                "rounded one: checks save totals in cents, in thousandths and tiny ones "
                "(0.004, 1e-07), and compare the stored number with the total. What "
                "save_order returns: checks ignore it."),
    Requirement("5.2", "it writes through `call_with_retries`, with 5 attempts, base 0.05 s, "
                "cap 1 s", ("test_save_order",)),
    Requirement("5.3", "when the write still fails, it raises that error", ("test_save_order",)),
)

BASE_S = 0.01  # the visible checks' backoff: small, so that an answer that sleeps for real
CAP_S = 0.08  # costs little
TABLE = "orders"
ENDPOINT = "https://dynamodb.us-east-1.amazonaws.com"
RELATIVE_TOLERANCE = 1e-9  # two ways of writing the same draw differ by a few ulps at most
ABSOLUTE_TOLERANCE_S = 1e-12


def ceiling(attempt: int, base: float, cap: float) -> float:
    """``t`` of section 1, as the instructions state it: ``min(cap, base * 2**attempt)``."""
    return min(cap, base * 2**attempt)


def _close(got: float, want: float) -> bool:
    """Equal as delays: the same draw, however the learner wrote its arithmetic."""
    return math.isclose(got, want, rel_tol=RELATIVE_TOLERANCE, abs_tol=ABSOLUTE_TOLERANCE_S)


def _number(value: object, call: str) -> float:
    """``value`` as a float, or a failure saying that ``call`` returned no number."""
    expect(isinstance(value, int | float) and not isinstance(value, bool)
           and math.isfinite(value),
           f"{call} returned {value!r}, which is not a number of seconds: return plain data, "
           "a float.")
    assert isinstance(value, int | float)  # for the type checker: expect() has just said so
    return float(value)


def _seconds(low_ms: int, high_ms: int) -> st.SearchStrategy[float]:
    """Times in round milliseconds, so that a failing case reads easily."""
    return st.integers(low_ms, high_ms).map(lambda ms: ms / 1000)


def _base_and_cap(max_base_ms: int, max_cap_ms: int) -> st.SearchStrategy[tuple[float, float]]:
    """A ``(base, cap)`` pair with ``base <= cap``, in round milliseconds."""
    return st.integers(1, max_base_ms).flatmap(
        lambda base_ms: st.tuples(st.just(base_ms / 1000), _seconds(base_ms, max_cap_ms)))


def _any_base_and_cap() -> st.SearchStrategy[tuple[float, float]]:
    """A ``(base, cap)`` pair with ``base <= cap``, any floats from 0.1 ms and 2 s up to ten
    thousand times that: the formulas hold for every value, not only round ones."""
    return st.tuples(st.floats(1e-4, 2.0), st.floats(1.0, 1e4)).map(
        lambda pair: (pair[0], pair[0] * pair[1]))


SEEDS = st.integers(0, 2**16)


# -- section 1: backoff strategies ------------------------------------------------------------


def _expect_exponential(exponential_backoff, attempt: int, base: float, cap: float) -> None:
    """One value of ``exponential_backoff`` is ``min(cap, base * 2**attempt)``."""
    call = f"exponential_backoff({attempt}, base={base}, cap={cap})"
    got, want = exponential_backoff(attempt, base, cap), ceiling(attempt, base, cap)
    expect(isinstance(got, int | float) and not isinstance(got, bool) and _close(got, want),
           f"{call} returned {got!r}; expected min(cap, base * 2**attempt) = {want!r}. "
           + (f"{got!r} is not a number: return plain data, a float."
              if not isinstance(got, int | float) else
              "Without a cap, a long outage makes clients wait for hours between tries."
              if got > cap else "Attempt 0 (the first retry) waits base; each retry after "
              "it waits twice as long, until the wait reaches cap."))


def check_exponential_backoff(exponential_backoff) -> None:
    """Exponential backoff doubles from ``base`` and stops growing at ``cap``."""
    for attempt in range(12):
        _expect_exponential(exponential_backoff, attempt, BASE_S, CAP_S)


@varied
def check_exponential_backoff_formula(exponential_backoff, *, seed: int) -> None:
    """``min(cap, base * 2**attempt)`` for generated bases and caps, at every attempt from 0
    until two past the one the cap first stops."""
    def prove(base_and_cap: tuple[float, float]) -> None:
        base, cap = base_and_cap
        capped_from = next(a for a in range(64) if base * 2**a >= cap)
        for attempt in range(capped_from + 3):
            _expect_exponential(exponential_backoff, attempt, base, cap)

    for_all(_any_base_and_cap(), prove, seed=seed, examples=8,
            show=lambda case: f"base={case[0]}, cap={case[1]}")


@dataclass(frozen=True)
class Jitter:
    """One jitter strategy of section 1: its formula, the draw it makes, the window its
    delays lie in, and the mistakes a delay can be recognised by."""

    name: str
    argument: str  # the name of its first parameter: attempt, or previous
    formula: str  # as the instructions write it
    draw: Callable[[random.Random, Any, float, float], float]  # (rng, argument, base, cap)
    window: Callable[[Any, float, float], tuple[float, float]]
    window_text: str
    # the values an answer without jitter returns: (argument, base, cap) -> delays
    fixed: Callable[[Any, float, float], tuple[float, ...]]
    # mistakes recognised by the value they draw from the same rng state: hint -> draw
    mistakes: dict[str, Callable[[random.Random, Any, float, float], float]]


CAP_MISSING = "The cap is missing: no delay may exceed cap, or a long outage makes clients " \
              "wait for hours between tries."
WRONG_EXPONENT = "The exponent is off: attempt 0 (before the first retry) uses t = base, " \
                 "attempt 1 uses 2 * base, and so on."


def _half_and_half(rng: random.Random, t: float) -> float:
    """Equal jitter's draw for a ceiling ``t``."""
    return t / 2 + rng.uniform(0, t / 2)


FULL_JITTER = Jitter(
    "full_jitter", "attempt", "rng.uniform(0, t)",
    lambda rng, a, base, cap: rng.uniform(0, ceiling(a, base, cap)),
    lambda a, base, cap: (0.0, ceiling(a, base, cap)),
    "[0, t] with t = min(cap, base * 2**attempt)",
    lambda a, base, cap: (ceiling(a, base, cap),),
    {CAP_MISSING: lambda rng, a, base, cap: rng.uniform(0, base * 2**a),
     WRONG_EXPONENT: lambda rng, a, base, cap: rng.uniform(0, ceiling(a + 1, base, cap)),
     "Full jitter draws from 0, not from base: a wait may be as short as nothing at all.":
         lambda rng, a, base, cap: rng.uniform(base, ceiling(a, base, cap))})
EQUAL_JITTER = Jitter(
    "equal_jitter", "attempt", "t / 2 + rng.uniform(0, t / 2)",
    lambda rng, a, base, cap: _half_and_half(rng, ceiling(a, base, cap)),
    lambda a, base, cap: (ceiling(a, base, cap) / 2, ceiling(a, base, cap)),
    "[t / 2, t] with t = min(cap, base * 2**attempt)",
    lambda a, base, cap: (ceiling(a, base, cap), ceiling(a, base, cap) / 2,
                          0.75 * ceiling(a, base, cap)),
    {CAP_MISSING: lambda rng, a, base, cap: _half_and_half(rng, base * 2**a),
     WRONG_EXPONENT: lambda rng, a, base, cap: _half_and_half(rng, ceiling(a + 1, base, cap)),
     "The random part should cover the other half of t, not all of it: t / 2 + "
     "rng.uniform(0, t / 2).": lambda rng, a, base, cap: (
         ceiling(a, base, cap) / 2 + rng.uniform(0, ceiling(a, base, cap))),
     "Cap t before halving it: t = min(cap, base * 2**attempt), then t / 2 + "
     "rng.uniform(0, t / 2), so that even capped delays keep their random half.":
         lambda rng, a, base, cap: min(cap, _half_and_half(rng, base * 2**a))})
DECORRELATED_JITTER = Jitter(
    "decorrelated_jitter", "previous", "min(cap, rng.uniform(base, 3 * previous))",
    lambda rng, previous, base, cap: min(cap, rng.uniform(base, 3 * previous)),
    lambda previous, base, cap: (min(base, cap), min(cap, 3 * previous)),
    "[base, min(cap, 3 * previous)]",
    lambda previous, base, cap: (base, min(cap, 3 * previous)),
    {CAP_MISSING: lambda rng, previous, base, cap: rng.uniform(base, 3 * previous),
     "It ignores previous: each window reaches 3 * previous, the last delay, so that delays "
     "grow towards the cap.": lambda rng, previous, base, cap: min(cap, rng.uniform(base,
                                                                                    3 * base)),
     "The draw starts at base, not 0: rng.uniform(base, 3 * previous).":
         lambda rng, previous, base, cap: min(cap, rng.uniform(0, 3 * previous)),
     "Cap the draw, not the window: min(cap, rng.uniform(base, 3 * previous)) waits exactly "
     "cap whenever the draw passes it.":
         lambda rng, previous, base, cap: rng.uniform(base, min(cap, 3 * previous))})


def _recognised_mistake(jitter: Jitter, state: tuple, drew: bool, got: float, argument,
                        base: float, cap: float) -> str:
    """The hint for a delay that one of ``jitter``'s known mistakes draws from the rng
    state ``state`` (or a general one); ``drew``: the call moved the rng on."""
    if not drew and any(_close(got, value) for value in jitter.fixed(argument, base, cap)):
        return ("It did not draw at all: there is no jitter. Clients that back off in lockstep "
                "retry in lockstep, and collide again.")
    for hint, mistake in jitter.mistakes.items():
        rng = random.Random()
        rng.setstate(state)
        if _close(got, mistake(rng, argument, base, cap)):
            return hint
    return (f"Draw exactly once, with {jitter.formula} as written, from the rng you are "
            "given: the value a seed implies is the contract.")


def _expect_draws(function, jitter: Jitter, base: float, cap: float, seed: int,
                  arguments: list) -> None:
    """``function`` returns, call after call on one rng seeded with ``seed``, the values
    ``jitter``'s formula draws. An argument None stands for the delay returned last (how
    decorrelated jitter is fed)."""
    def call_text(argument) -> str:
        return f"{jitter.name}({jitter.argument}={argument!r}, base={base!r}, cap={cap!r}, rng)"

    start = arguments[0]
    first = _number(function(start, base, cap, random.Random(seed)), call_text(start))
    again = _number(function(start, base, cap, random.Random(seed)), call_text(start))
    expect(first == again,
           f"Called twice with random.Random({seed}), {call_text(start)} returned {first!r} "
           f"and then {again!r}: it draws from something other than the rng it is given. "
           "Draw from that rng, never from the random module itself: tests and simulations "
           "need runs that repeat exactly.")
    rng, twin = random.Random(seed), random.Random(seed)
    previous = start
    for number, argument in enumerate(arguments, 1):
        argument = previous if argument is None else argument
        call = call_text(argument)
        got = _number(function(argument, base, cap, rng), call)
        state = twin.getstate()
        drew = rng.getstate() != state
        want = jitter.draw(twin, argument, base, cap)
        low, high = jitter.window(argument, base, cap)
        context = f"{call} (draw {number} from random.Random({seed})) returned {got!r}"
        expect(low - ABSOLUTE_TOLERANCE_S <= got <= high * (1 + RELATIVE_TOLERANCE),
               f"{context}, outside {jitter.window_text} = [{low!r}, {high!r}]. "
               + (CAP_MISSING if got > cap else
                  "Delays past the ceiling wait too long: the whole delay is drawn inside "
                  "that window, with no fixed part added." if got > high else
                  f"It waits too little: {jitter.window_text} is the window."))
        expect(_close(got, want), f"{context}; with that rng, {jitter.formula} is {want!r}. "
               + _recognised_mistake(jitter, state, drew, got, argument, base, cap))
        previous = got
    expect(rng.getstate() == twin.getstate(),
           f"After {len(arguments)} delays, {jitter.name} had drawn more from rng than "
           f"{len(arguments)} rng.uniform calls: draw each delay with exactly one, so that a "
           "seed gives the same delays wherever they are drawn.")


def check_full_jitter(full_jitter, seed: int = 11) -> None:
    """Full jitter draws ``rng.uniform(0, min(cap, base * 2**attempt))`` from the given rng."""
    _expect_draws(full_jitter, FULL_JITTER, BASE_S, CAP_S, seed, list(range(10)))


def check_equal_jitter(equal_jitter, seed: int = 12) -> None:
    """Equal jitter keeps half the exponential delay and draws the other half at random."""
    _expect_draws(equal_jitter, EQUAL_JITTER, BASE_S, CAP_S, seed, list(range(10)))


def check_decorrelated_jitter(decorrelated_jitter, seed: int = 13) -> None:
    """Decorrelated jitter draws from [base, 3 * previous], capped at ``cap``; fed its own
    delays, it grows towards the cap."""
    _expect_draws(decorrelated_jitter, DECORRELATED_JITTER, BASE_S, CAP_S, seed,
                  [BASE_S, 0.02, 0.05, CAP_S, BASE_S] + [None] * 12)


@dataclass(frozen=True)
class DrawCase:
    """Generated calls of one jitter function: its base and cap, the rng's seed, and the
    first argument of each call."""

    base: float
    cap: float
    seed: int
    arguments: tuple


def _draw_cases(arguments: st.SearchStrategy) -> st.SearchStrategy[DrawCase]:
    """Cases with generated bases, caps and seeds."""
    return st.builds(lambda base_and_cap, seed, args: DrawCase(base_and_cap[0],
                                                               base_and_cap[1], seed, args),
                     _any_base_and_cap(), SEEDS, arguments)


def _attempts() -> st.SearchStrategy[tuple[int, ...]]:
    """One to four attempt numbers, each from 0 to 40."""
    return st.lists(st.integers(0, 40), min_size=1, max_size=4).map(tuple)


def _show_draws(jitter: Jitter) -> Callable[[DrawCase], str]:
    """How a failing case of ``jitter`` is written out for the learner."""
    def show(case: DrawCase) -> str:
        arguments = ", ".join("the last delay" if a is None else repr(a) for a in case.arguments)
        return (f"{jitter.name} called with {jitter.argument} = {arguments} in turn, base="
                f"{case.base}, cap={case.cap}, rng=random.Random({case.seed})")
    return show


@varied
def check_full_jitter_draws(full_jitter, *, seed: int) -> None:
    """Every delay is the draw the formula makes, for generated attempts, bases, caps and
    seeds."""
    for_all(_draw_cases(_attempts()), lambda case: _expect_draws(
        full_jitter, FULL_JITTER, case.base, case.cap, case.seed, list(case.arguments)),
        seed=seed, examples=12, show=_show_draws(FULL_JITTER))


@varied
def check_equal_jitter_draws(equal_jitter, *, seed: int) -> None:
    """Every delay is the draw the formula makes, for generated attempts, bases, caps and
    seeds."""
    for_all(_draw_cases(_attempts()), lambda case: _expect_draws(
        equal_jitter, EQUAL_JITTER, case.base, case.cap, case.seed, list(case.arguments)),
        seed=seed, examples=12, show=_show_draws(EQUAL_JITTER))


def _decorrelated_arguments(case: DrawCase) -> list:
    """The first delay as generated (a fraction of the way from base to cap), then the
    delays the function returned."""
    fraction, chained = case.arguments
    return [case.base + fraction * (case.cap - case.base)] + [None] * chained


@varied
def check_decorrelated_jitter_draws(decorrelated_jitter, *, seed: int) -> None:
    """Every delay is the draw the formula makes, for generated bases, caps, seeds and first
    delays, each later delay fed the one before."""
    arguments = st.tuples(st.sampled_from([0, 0.25, 0.5, 1]), st.integers(0, 5))
    for_all(_draw_cases(arguments), lambda case: _expect_draws(
        decorrelated_jitter, DECORRELATED_JITTER, case.base, case.cap, case.seed,
        _decorrelated_arguments(case)), seed=seed, examples=12,
        show=lambda case: _show_draws(DECORRELATED_JITTER)(
            replace(case, arguments=tuple(_decorrelated_arguments(case)))))


# -- section 2: which errors to retry ---------------------------------------------------------

RETRYABLE = [
    (client_error("ProvisionedThroughputExceededException"), "DynamoDB's throttling error"),
    (client_error("ThrottlingException"), "a throttling error"),
    (client_error("RequestLimitExceeded"), "a request-rate limit"),
    (client_error("InternalServerError", 500), "an HTTP 500"),
    (client_error("ServiceUnavailable", 503), "an HTTP 503"),
    (ReadTimeoutError(endpoint_url=ENDPOINT), "a read timeout"),
    (ConnectTimeoutError(endpoint_url=ENDPOINT), "a connect timeout"),
    (EndpointConnectionError(endpoint_url=ENDPOINT), "a connection that could not be made"),
    (ConnectionClosedError(endpoint_url=ENDPOINT), "a connection dropped before the answer"),
]
NOT_RETRYABLE = [
    (client_error("ValidationException"), "a ValidationException: the request itself is "
     "wrong, and sending it again can never succeed"),
    (client_error("AccessDeniedException"), "an AccessDeniedException: permissions do not "
     "change between retries"),
    (client_error("ConditionalCheckFailedException"), "a ConditionalCheckFailedException: "
     "the condition is false, and retrying will not make it true"),
    (client_error("ResourceNotFoundException"), "a ResourceNotFoundException: the table is "
     "not there"),
    (ValueError("bad input"), "a ValueError from your own code: a bug, not a transient fault"),
]
SERVER_STATUSES = (500, 502, 503, 504)  # the 5xx statuses AWS services send most
SERVER_CODES = {500: "InternalServerError", 502: "BadGateway", 503: "ServiceUnavailable",
                504: "GatewayTimeout"}
CONNECTION_ERRORS = {ReadTimeoutError: "a read timeout", ConnectTimeoutError: "a connect "
                     "timeout", EndpointConnectionError: "a connection that could not be "
                     "made", ConnectionClosedError: "a connection dropped before the answer"}
# Client errors (4xx) with a code no list names, down to the last status below 500. (408 and
# 429 are left out: botocore's standard mode retries them, and the lab leaves them open.)
OTHER_CLIENT_ERROR = "BadRequestException"
OTHER_CLIENT_STATUSES = st.integers(400, 499).filter(lambda status: status not in (408, 429))
OPERATIONS = ("PutItem", "GetItem", "SendMessage", "PutRecords", "Query")  # throttled calls
OWN_BUGS = (ValueError, KeyError, TypeError, AttributeError, ZeroDivisionError, IndexError)


def _refused_requests() -> list[tuple[Exception, str]]:
    """Errors botocore raises before sending anything: the request itself, or the
    configuration, is wrong, and stays wrong."""
    return [(ParamValidationError(report="Invalid type for parameter Item.total.N"),
             "a ParamValidationError: botocore refused to send a malformed request"),
            (NoCredentialsError(), "a NoCredentialsError: there are no credentials to sign "
             "with, and a retry will not find any"),
            (NoRegionError(), "a NoRegionError: the client has no region to send to")]


def _expect_verdict(is_retryable, error: BaseException, retryable: bool, why: str) -> None:
    """``is_retryable(error)`` is true exactly when ``retryable``; ``why`` says what the
    error is and why that verdict."""
    said = bool(is_retryable(error))
    if retryable:
        expect(said, f"is_retryable said no to {why}")
    else:
        expect(not said, f"is_retryable said yes to {why} Retrying errors that cannot succeed "
               "only adds load and delays the real error.")


def check_is_retryable(is_retryable) -> None:
    """Throttling, 5xx and timeouts are retryable; validation, access and bugs are not."""
    for error, what in RETRYABLE:
        _expect_verdict(is_retryable, error, True,
                        f"{what} ({type(error).__name__}). Transient faults like this usually "
                        "succeed on a later try: retry them (with backoff).")
    for error, what in NOT_RETRYABLE:
        _expect_verdict(is_retryable, error, False, f"{what}.")


def _throttling_why(code: str, status: int) -> str:
    """Why a throttling error is retried."""
    return (f"a ClientError with code {code} (HTTP {status}). {code} is in THROTTLING_CODES, "
            "botocore's list of the codes AWS uses to say \"slow down\": after a wait, a later "
            "try usually succeeds. Retry every code in that list, whatever the HTTP status.")


def _server_why(code: str, status: int) -> str:
    """Why a server error is retried."""
    return (f"an HTTP {status} ({code}). Every status of 500 and above is the service failing "
            "on its side, which a later try can fix: retry them all, not only 500 and 503.")


def _connection_why(error: BaseException) -> str:
    """Why a timeout or a dropped connection is retried."""
    return (f"{CONNECTION_ERRORS[type(error)]} ({type(error).__name__}). Timeouts and dropped "
            "connections are transient: retry them.")


def _permanent_why(code: str, status: int) -> str:
    """Why an error the service judged final is not retried."""
    return (f"a {code} (HTTP {status}): the service judged the request wrong, forbidden or "
            "impossible, and it will judge it so again.")


def _bug_why(error: BaseException) -> str:
    """Why an error of the caller's own code is not retried."""
    return f"a {type(error).__name__} from your own code: a bug, not a transient fault."


def _error_verdicts() -> st.SearchStrategy[tuple[BaseException, bool, str]]:
    """Errors of every family section 2 names, each with its verdict and the reason."""
    throttled = st.builds(client_error, st.sampled_from(throttling_codes()),
                          st.sampled_from([400, 429]), st.sampled_from(OPERATIONS))
    return st.one_of(
        throttled.map(lambda e: (e, True, _throttling_why(_code(e), _status(e)))),
        server_errors().map(lambda e: (e, True, _server_why(_code(e), _status(e)))),
        st.sampled_from(list(CONNECTION_ERRORS)).map(
            lambda kind: kind(endpoint_url=ENDPOINT)).map(
            lambda e: (e, True, _connection_why(e))),
        st.sampled_from(sorted(PERMANENT_CODES)).map(
            lambda code: client_error(code, PERMANENT_CODES[code])).map(
            lambda e: (e, False, _permanent_why(_code(e), _status(e)))),
        OTHER_CLIENT_STATUSES.map(lambda status: client_error(OTHER_CLIENT_ERROR, status)).map(
            lambda e: (e, False, _permanent_why(_code(e), _status(e)))),
        st.sampled_from(OWN_BUGS).map(lambda kind: kind("a bug")).map(
            lambda e: (e, False, _bug_why(e))))


def _code(error: ClientError) -> str:
    """A ClientError's code."""
    return str(error.response["Error"]["Code"])


def _status(error: ClientError) -> int:
    """A ClientError's HTTP status."""
    return int(error.response["ResponseMetadata"]["HTTPStatusCode"])


@varied
def check_is_retryable_families(is_retryable, *, seed: int) -> None:
    """Every member of each family section 2 names: every throttling code botocore knows,
    the common 5xx and any other, all four connection errors; and no permanent error, no
    request botocore refused to send, no bug."""
    scenario = random.Random(seed)
    for code in throttling_codes():
        status = scenario.choice([400, 429])
        _expect_verdict(is_retryable, client_error(code, status), True,
                        _throttling_why(code, status))
    for status in SERVER_STATUSES:
        _expect_verdict(is_retryable, client_error(SERVER_CODES[status], status), True,
                        _server_why(SERVER_CODES[status], status))
    for kind in CONNECTION_ERRORS:
        error = kind(endpoint_url=ENDPOINT)
        _expect_verdict(is_retryable, error, True, _connection_why(error))
    for code, status in PERMANENT_CODES.items():
        _expect_verdict(is_retryable, client_error(code, status), False,
                        _permanent_why(code, status))
    for error, what in _refused_requests():
        _expect_verdict(is_retryable, error, False, f"{what}.")
    for status in (400, 499):
        _expect_verdict(is_retryable, client_error(OTHER_CLIENT_ERROR, status), False,
                        _permanent_why(OTHER_CLIENT_ERROR, status))
    for bug in OWN_BUGS:
        error = bug("a bug")
        _expect_verdict(is_retryable, error, False, _bug_why(error))
    for_all(_error_verdicts(), lambda case: _expect_verdict(is_retryable, *case), seed=seed,
            examples=20, show=lambda case: repr(case[0]))


# -- section 3: the retry wrapper against scripted operations ---------------------------------

CLIENT_FAULTS = {  # fault name -> (code, HTTP status), for the ClientErrors the lab names
    "ProvisionedThroughputExceededException": ("ProvisionedThroughputExceededException", 400),
    "ThrottlingException": ("ThrottlingException", 400),
    "RequestLimitExceeded": ("RequestLimitExceeded", 400),
    "InternalServerError": ("InternalServerError", 500),
    "ServiceUnavailable": ("ServiceUnavailable", 503),
    "ValidationException": ("ValidationException", 400),
    "AccessDeniedException": ("AccessDeniedException", 400),
    "ConditionalCheckFailedException": ("ConditionalCheckFailedException", 400),
}
CONNECTION_FAULTS = {error.__name__: error for error in CONNECTION_ERRORS}
BUG_FAULTS = {"ValueError": ValueError, "TypeError": TypeError}
RETRYABLE_FAULTS = ("ProvisionedThroughputExceededException", "ThrottlingException",
                    "RequestLimitExceeded", "InternalServerError", "ServiceUnavailable",
                    *CONNECTION_FAULTS)
PERMANENT_FAULTS = ("ValidationException", "AccessDeniedException",
                    "ConditionalCheckFailedException", *BUG_FAULTS)


def fault(name: str, call: int) -> Exception:
    """The error called ``name`` as an operation raises it on call number ``call`` (its
    message names the call, so the test can tell which call's error was raised)."""
    if name in CLIENT_FAULTS:
        code, status = CLIENT_FAULTS[name]
        response = {"Error": {"Code": code, "Message": f"made by the test, call {call}"},
                    "ResponseMetadata": {"HTTPStatusCode": status}}
        return ClientError(response, "PutItem")
    if name in CONNECTION_FAULTS:
        return CONNECTION_FAULTS[name](endpoint_url=f"{ENDPOINT}/?call={call}")
    return BUG_FAULTS[name](f"a bug, made by the test, call {call}")


def describe_error(error: BaseException) -> str:
    """An error as the test compares it: its class's name and its message."""
    return f"{type(error).__name__}({error})"


@dataclass(frozen=True)
class Scenario:
    """One run of a retry wrapper: its arguments, what each call of the operation does, and
    the budget it is given (``tokens`` None: no budget)."""

    max_attempts: int
    base: float
    cap: float
    seed: int  # the rng's
    faults: tuple[str, ...]  # what calls 1, 2, ... raise, by fault name
    forever: str | None = None  # what every later call raises; None: the next call succeeds
    tokens: int | None = None

    def fault_on(self, call: int) -> str | None:
        """The fault call number ``call`` raises (None: it succeeds)."""
        return self.faults[call - 1] if call <= len(self.faults) else self.forever

    def result(self, call: int) -> dict:
        """What the operation returns when call number ``call`` succeeds."""
        return {"stored": True, "call": call, "seed": self.seed}

    def describe(self) -> str:
        """The case in words and code, for a learner to rerun by hand."""
        budget = "" if self.tokens is None else f", budget=<a budget with {self.tokens} token(s)>"
        steps = [f"call {n} raises {name}" for n, name in enumerate(self.faults, 1)]
        steps.append(f"every later call raises {self.forever}" if self.forever else
                     f"call {len(self.faults) + 1} returns {self.result(len(self.faults) + 1)}")
        return (f"call_with_retries(operation, max_attempts={self.max_attempts}, base="
                f"{self.base}, cap={self.cap}, sleep=sleep, rng=random.Random({self.seed})"
                f"{budget}), where {'; '.join(steps)}")


class Transcript:
    """What one run of a retry wrapper did, in order: ``("call", n)``, ``("wait", seconds)``,
    ``("deposit", None)`` and ``("token", granted)`` events, then how it ended:
    ``("returned", value)`` or ``("raised", description)``. Its ``sleep``, ``operation`` and
    ``budget`` write it."""

    def __init__(self, scenario: Scenario):
        self.scenario = scenario
        self.events: list[tuple[str, Any]] = []
        self.ending: tuple[str, Any] = ("running", None)
        self.tokens = scenario.tokens

    def _note(self, kind: str, value) -> None:
        """Record an event; stop a run that never ends."""
        self.events.append((kind, value))
        if len(self.events) > 3 * RUNAWAY_CALLS:
            raise TooManyCalls(f"Your retry loop went on for more than {RUNAWAY_CALLS} calls, "
                               "waits and tokens: its attempts are unbounded.")

    def sleep(self, seconds: float) -> None:
        """The ``sleep`` the wrapper is given: it only records the wait."""
        self._note("wait", float(seconds))

    def operation(self):
        """The operation: fails as the scenario says, or returns its result."""
        call = self.calls + 1
        self._note("call", call)
        if call > RUNAWAY_CALLS:
            raise TooManyCalls(
                f"Your retry loop called the operation more than {RUNAWAY_CALLS} times: its "
                "attempts are unbounded. Under an outage, unbounded retries turn every client "
                "into a source of load that never stops.")
        name = self.scenario.fault_on(call)
        if name is not None:
            raise fault(name, call)
        return self.scenario.result(call)

    def deposit(self) -> None:
        """The budget's ``deposit``: recorded only (the scenario fixes the tokens)."""
        self._note("deposit", None)

    def try_spend(self) -> bool:
        """The budget's ``try_spend``: grants a token while the scenario's last."""
        granted = self.tokens is not None and self.tokens >= 1
        if granted:
            assert self.tokens is not None
            self.tokens -= 1
        self._note("token", granted)
        return granted

    @property
    def calls(self) -> int:
        """How many times the operation was called."""
        return sum(kind == "call" for kind, _ in self.events)

    def kinds(self, *wanted: str) -> list[tuple[str, Any]]:
        """The events of the ``wanted`` kinds, in order."""
        return [event for event in self.events if event[0] in wanted]


class ScriptedOperation:
    """The operation a scenario's wrapper retries (a callable the learner's code may call)."""

    def __init__(self, transcript: Transcript):
        self._transcript = transcript

    def __call__(self):
        """One call of the operation, as the scenario scripts it."""
        return self._transcript.operation()


class ScriptedBudget:
    """The budget a scenario's wrapper is given: a fixed number of tokens, never refilled;
    its deposits are recorded, and earn nothing."""

    def __init__(self, transcript: Transcript):
        self._transcript = transcript

    def deposit(self) -> None:
        """A request paid in: the transcript notes it."""
        self._transcript.deposit()

    def try_spend(self) -> bool:
        """One token, while any is left."""
        return self._transcript.try_spend()


class SharedBudget:
    """A budget of the test's own that several runs share: ``tokens`` tokens, never
    refilled (deposits are counted, and earn nothing). It tells apart the tokens a wrapper
    takes from those a learner's RetryBudget would miscount."""

    def __init__(self, tokens: int):
        self.tokens = tokens
        self.deposits = 0

    def deposit(self) -> None:
        """A request paid in: counted only."""
        self.deposits += 1

    def try_spend(self) -> bool:
        """One token, while any is left."""
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False


def run_wrapper(call_with_retries, scenario: Scenario,
                budget: SharedBudget | None = None) -> Transcript:
    """Run ``call_with_retries`` on the scenario, and what it did; ``budget``: one shared
    with other runs (its tokens are not in the transcript), instead of the scenario's."""
    transcript = Transcript(scenario)
    options: dict[str, Any] = {"max_attempts": scenario.max_attempts, "base": scenario.base,
                               "cap": scenario.cap, "sleep": transcript.sleep,
                               "rng": random.Random(scenario.seed)}
    if budget is not None:
        options["budget"] = budget
    elif scenario.tokens is not None:
        options["budget"] = ScriptedBudget(transcript)
    try:
        transcript.ending = ("returned", call_with_retries(ScriptedOperation(transcript),
                                                           **options))
    except TooManyCalls:
        raise
    except Exception as error:  # noqa: BLE001 - how it ended is what the checks compare
        if type(error).__name__ in STOPPING_ERRORS:  # the grader's time limit, a lost process
            raise
        transcript.ending = ("raised", describe_error(error))
    return transcript


def _last_fault(transcript: Transcript) -> str | None:
    """The fault of the last call the wrapper made (None: it succeeded, or made none)."""
    calls = transcript.calls
    return transcript.scenario.fault_on(calls) if calls else None


def _expect_same_ending(want: Transcript, got: Transcript) -> None:
    """The run ended as the contract says: the same value returned, or the same error (the
    last call's) raised."""
    (want_kind, want_value), (got_kind, got_value) = want.ending, got.ending
    if want_kind == "raised":
        expect(got_kind == "raised",
               f"The last call failed ({want_value}), yet call_with_retries returned "
               f"{got_value!r}: when it gives up it must raise the last error, or its caller "
               "believes the work was done and loses it silently.")
        earlier = [describe_error(fault(name, call)) for call in range(1, got.calls)
                   if (name := got.scenario.fault_on(call))]
        expect(got_value == want_value,
               f"call_with_retries raised {got_value}; it should raise the error of its last "
               f"call itself, {want_value}. "
               + ("That is an earlier call's error: raise the last one, which says why the "
                  "work finally failed." if got_value in earlier else
                  "Raise the error it got (a bare `raise`), not a new one: the caller needs "
                  "its type and its code to decide what to do."))
    else:
        expect(got_kind == "returned",
               f"call_with_retries raised {got_value} though call {want.calls} succeeded and "
               f"returned {want_value!r}: return what the operation returned.")
        expect(got_value == want_value,
               f"call_with_retries returned {got_value!r}; the operation returned "
               f"{want_value!r}. Return the operation's own result.")


def _expect_calls(want: Transcript, got: Transcript) -> None:
    """The wrapper made as many calls as the contract allows: all ``max_attempts`` while
    errors are retryable, none after a success."""
    scenario, expected, made = want.scenario, want.calls, got.calls
    fault_name = _last_fault(want)
    if made > expected:
        expect(fault_name is not None,
               f"call_with_retries called the operation again after call {expected} "
               "succeeded: return its result at once.")
        expect(fault_name in RETRYABLE_FAULTS,
               f"call_with_retries retried after call {expected} raised {fault_name}, which "
               "can never succeed on retry: raise it at once.")
        expect(want.kinds("token")[-1:] != [("token", False)],
               f"call_with_retries retried after budget.try_spend() returned False (call "
               f"{expected}): without a token, give up and raise the last error.")
        raise AssertionError(
            f"call_with_retries made {made} calls; with max_attempts={scenario.max_attempts} "
            f"it should make {scenario.max_attempts} in all, the first one included "
            "(max_attempts=3 means at most 2 retries). max_attempts bounds the total work a "
            "failing dependency can cost.")
    expect(made > 0, "call_with_retries never called the operation"
           + (": it asked the budget for a token first, and was refused. The first call is "
              "never a retry, and costs no token." if got.kinds("token") else
              ": call it at least once."))
    expect(made == expected,
           f"call_with_retries gave up after {made} call(s), though call {made} raised "
           f"{got.scenario.fault_on(made)}, a retryable error, and max_attempts="
           f"{scenario.max_attempts} allows {scenario.max_attempts} calls in all: retry "
           "until the calls are used up.")


def _prove_on(scenario: Scenario, prove: Callable[[Scenario], None]) -> None:
    """``prove`` on one fixed scenario, its failure saying which."""
    try:
        prove(scenario)
    except AssertionError as failure:
        raise AssertionError(f"{failure}\nThe case: {scenario.describe()}.") from None


WRAPPER_EXAMPLES = 14  # generated scenarios per wrapper check (each a few dozen wire calls)
# The fixed first case of each wrapper check: a failure of each kind section 2 names, so that
# most mistakes show on it, at once and without a search for a smaller case.
MIXED_FAILURES = ("ThrottlingException", "ReadTimeoutError", "ServiceUnavailable",
                  "EndpointConnectionError")


def _scenarios(max_attempts: st.SearchStrategy[int], faults: st.SearchStrategy[str],
               forever: st.SearchStrategy[str | None],
               tokens: st.SearchStrategy[int | None] | None = None) -> st.SearchStrategy:
    """Scenarios with generated arguments, failures and budgets (none unless ``tokens``).
    Bases and caps stay small (at most half a second): an answer that sleeps for real must
    not stall the grader."""
    return st.builds(
        lambda attempts, base_and_cap, seed, plan, last, budget: Scenario(
            attempts, base_and_cap[0], base_and_cap[1], seed, tuple(plan), last, budget),
        max_attempts, _base_and_cap(50, 500), SEEDS, st.lists(faults, max_size=8), forever,
        st.none() if tokens is None else tokens)


def _wrapper_property(call_with_retries, reference, compare) -> Callable[[Scenario], None]:
    """``compare(want, got)`` on the runs of the reference and of the learner's wrapper."""
    def prove(scenario: Scenario) -> None:
        compare(run_wrapper(reference.call_with_retries, scenario),
                run_wrapper(call_with_retries, scenario))
    return prove


def _check_wrapper(call_with_retries, reference, compare, smoke: Scenario,
                   scenarios: st.SearchStrategy, seed: int) -> None:
    """``compare`` the learner's runs with the reference's on a fixed small scenario, then on
    generated ones."""
    prove = _wrapper_property(call_with_retries, reference, compare)
    _prove_on(smoke, prove)
    for_all(scenarios, prove, seed=seed, examples=WRAPPER_EXAMPLES, show=Scenario.describe)


def _compare_calls_and_ending(want: Transcript, got: Transcript) -> None:
    """As many calls as the contract allows, then the same ending, and no wait after the
    last call when the run gives up."""
    _expect_calls(want, got)
    _expect_same_ending(want, got)
    expect(got.events[-1][0] != "wait",
           f"call_with_retries waited after its last call ({got.calls}): once it gives up "
           "there is nothing to wait for. Wait only between tries, not before the first, nor "
           "after the last failure.")


@varied
def check_gives_up(call_with_retries, *, seed: int, reference) -> None:
    """After ``max_attempts`` calls in all, the wrapper stops and raises the last error; it
    retries every retryable error until then, and returns as soon as a call succeeds."""
    smoke = Scenario(5, 0.001, 0.004, seed % 1000, MIXED_FAILURES,
                     forever="ConnectionClosedError")
    scenarios = _scenarios(st.integers(1, 8), st.sampled_from(RETRYABLE_FAULTS),
                           st.none() | st.sampled_from(RETRYABLE_FAULTS))
    _check_wrapper(call_with_retries, reference, _compare_calls_and_ending, smoke, scenarios,
                   seed)


def _expect_same_waits(want: Transcript, got: Transcript) -> None:
    """The same waits between the same calls: one ``full_jitter(retry, base, cap, rng)``
    before each retry, none before the first call or after the last."""
    scenario = want.scenario
    expected, made = want.kinds("call", "wait"), got.kinds("call", "wait")
    waits = [value for kind, value in made if kind == "wait"]
    if not waits and got.calls > 1:
        raise AssertionError(
            "call_with_retries retried without a single call to the sleep it is given. Did "
            "you call time.sleep? Wait through the sleep you are given, so tests and "
            "simulations run in simulated time.")
    for index, (want_event, got_event) in enumerate(zip(expected, made, strict=False)):
        retry = sum(kind == "wait" for kind, _ in expected[:index])
        if want_event[0] == "call" and got_event[0] == "wait":
            raise AssertionError(
                "call_with_retries waited before the first call: wait only between tries."
                if index == 0 else "call_with_retries waited twice before one retry: wait "
                f"once, full_jitter({retry - 1}, base, cap, rng), before each retry.")
        if want_event[0] == "wait" and got_event[0] == "call":
            raise AssertionError(
                f"call_with_retries called again right after call {got_event[1] - 1} failed, "
                f"without waiting: wait full_jitter({retry}, base, cap, rng) through sleep "
                "before each retry, or every client hammers the service in lockstep.")
        if want_event[0] == "wait":
            _expect_wait(scenario, retry, got_event[1], want_event[1])
    if len(made) > len(expected):
        if any(kind == "call" for kind, _ in made[len(expected):]):
            _expect_calls(want, got)
        raise AssertionError(
            f"call_with_retries waited after its last call ({want.calls}): wait only "
            "between tries, not before the first, nor after the last failure.")
    if len(made) < len(expected):
        _expect_calls(want, got)
        raise AssertionError(
            f"call_with_retries stopped after call {got.calls} failed with "
            f"{scenario.fault_on(got.calls)}, a retryable error, without waiting and trying "
            "again.")


def _expect_wait(scenario: Scenario, retry: int, got: float, want: float) -> None:
    """Wait number ``retry + 1`` is the full-jitter draw the scenario's seed implies."""
    if _close(got, want):
        return
    base, cap, t = scenario.base, scenario.cap, ceiling(retry, scenario.base, scenario.cap)
    state = _rng_state_before_wait(scenario.seed, retry)
    context = (f"Wait number {retry + 1} (before retry {retry + 1}) was {got!r} s; with the rng "
               f"you were given, full_jitter({retry}, base, cap, rng) draws {want!r} s from "
               f"[0, min(cap, base * 2**{retry})] = [0, {t!r}].")
    if got > cap * (1 + RELATIVE_TOLERANCE) or _draws_as(
            state, got, lambda rng: rng.uniform(0, base * 2**retry)):
        hint = "The cap is missing: waits must stop growing at cap."
    elif got > t * (1 + RELATIVE_TOLERANCE):
        hint = ("Full jitter draws the whole wait from that window: it adds no fixed part, "
                "and retry number r (counting from 0) uses 2**r.")
    elif _close(got, t):
        hint = ("It waited the whole ceiling: there is no jitter. Draw the wait with "
                "full_jitter, so clients that failed together do not retry together.")
    elif _draws_as(state, got, lambda rng: rng.uniform(0, ceiling(retry + 1, base, cap))):
        hint = "Retry number r (counting from 0) uses 2**r: the first wait is at most base."
    elif _draws_as(state, got, lambda rng: rng.uniform(0, base)):
        hint = ("Its window never grows: each retry's window doubles, min(cap, base * 2**r), "
                "or clients keep retrying fast all through a long outage.")
    else:
        hint = ("Draw each wait with full_jitter from the rng you are given, once per retry "
                "(not from the random module): the waits a seed implies are the contract.")
    raise AssertionError(f"{context} {hint}")


def _rng_state_before_wait(seed: int, retry: int) -> tuple:
    """The state of random.Random(seed) after ``retry`` draws: before wait ``retry + 1``."""
    rng = random.Random(seed)
    for _ in range(retry):
        rng.random()
    return rng.getstate()


def _draws_as(state: tuple, got: float, draw: Callable[[random.Random], float]) -> bool:
    """Whether ``draw`` from the rng state ``state`` gives ``got``."""
    rng = random.Random()
    rng.setstate(state)
    return _close(got, draw(rng))


@varied
def check_sleeps_with_jitter(call_with_retries, *, seed: int, reference) -> None:
    """Each wait is ``full_jitter(retry, base, cap, rng)``, drawn from the rng given and
    passed to ``sleep``: one between each two calls, none before the first or after the
    last."""
    smoke = Scenario(6, 0.001, 0.004, seed % 1000, MIXED_FAILURES)
    scenarios = _scenarios(st.integers(2, 8), st.sampled_from(RETRYABLE_FAULTS),
                           st.none() | st.sampled_from(RETRYABLE_FAULTS))
    _check_wrapper(call_with_retries, reference, _expect_same_waits, smoke, scenarios, seed)


def _compare_non_retryable(want: Transcript, got: Transcript) -> None:
    """No wait and no call after the error that is not retryable; that error raised."""
    _expect_calls(want, got)
    kinds = [kind for kind, _ in got.events]
    after = got.events[len(kinds) - kinds[::-1].index("call"):]
    expect(not any(kind == "wait" for kind, _ in after),
           f"call_with_retries waited after call {got.calls} raised {_last_fault(want)}, "
           "which it does not retry: do not sleep before raising an error you will not retry.")
    _expect_same_ending(want, got)


def _non_retryable_scenarios() -> st.SearchStrategy[Scenario]:
    """Some retryable failures, then an error no retry can fix while attempts remain, with
    or without a budget that has a token for every retry before it, and more."""
    def build(retryable: list[str], permanent: str, spare_attempts: int, base_and_cap,
              seed: int, spare_tokens: int | None) -> Scenario:
        faults = (*retryable, permanent)
        tokens = None if spare_tokens is None else len(retryable) + spare_tokens
        return Scenario(len(faults) + spare_attempts, base_and_cap[0], base_and_cap[1], seed,
                        faults, tokens=tokens)

    return st.builds(build, st.lists(st.sampled_from(RETRYABLE_FAULTS), max_size=4),
                     st.sampled_from(PERMANENT_FAULTS), st.integers(1, 3),
                     _base_and_cap(50, 500), SEEDS, st.none() | st.integers(1, 3))


@varied
def check_non_retryable_raised_at_once(call_with_retries, *, seed: int, reference) -> None:
    """A request that can never succeed is not retried: its error is raised at once, with
    no wait and no budget token, even after retryable failures."""
    _prove_on(Scenario(5, 0.001, 0.004, seed % 1000, (*MIXED_FAILURES[:2], "ValidationException")),
              _wrapper_property(call_with_retries, reference, _compare_non_retryable))
    for_all(_non_retryable_scenarios(),
            _wrapper_property(call_with_retries, reference, _compare_non_retryable),
            seed=seed, examples=WRAPPER_EXAMPLES, show=Scenario.describe)


def _calls_and_tokens(transcript: Transcript) -> list[tuple[str, Any]]:
    """The run's calls and tokens, in order, without a request the budget refused after the
    last call: it took nothing, and no retry followed (3.6 leaves it open)."""
    events = transcript.kinds("call", "token")
    kinds = [kind for kind, _ in events]
    last = len(kinds) - kinds[::-1].index("call") if "call" in kinds else 0
    return events[:last] + [event for event in events[last:] if event != ("token", False)]


def _why_no_retry(transcript: Transcript) -> str:
    """Why no retry follows the run's last call, in words."""
    calls, scenario = transcript.calls, transcript.scenario
    name = scenario.fault_on(calls)
    if name is None:
        return f"call {calls} succeeded"
    if name not in RETRYABLE_FAULTS:
        return f"call {calls} raised {name}, an error it does not retry"
    return (f"call {calls} raised {name}, and was the last of max_attempts="
            f"{scenario.max_attempts}")


def _expect_token_before_wait(got: Transcript) -> None:
    """No wait just before a request for a token: the token comes first, and a refused
    one ends the run at once."""
    calls = 0
    for event, after in zip(got.events, got.events[1:], strict=False):
        calls += event[0] == "call"
        if event[0] != "wait" or after[0] != "token":
            continue
        if after[1]:
            raise AssertionError(
                f"call_with_retries waited after call {calls} failed, and only then took a "
                "token with budget.try_spend(): take the token first, before the wait. A "
                "wrapper that asks after waiting, when the budget refuses, has spent a wait "
                "for nothing before giving up.")
        raise AssertionError(
            f"call_with_retries waited after call {calls} failed, then asked the budget for "
            "a token, was refused, and gave up: that wait was spent for nothing, and only "
            "delayed the error its caller is waiting for (3.4: when it gives up, it raises "
            "without waiting again). Take the token first, before the wait, and when "
            "try_spend() returns False, raise at once.")


def _expect_one_deposit(got: Transcript) -> None:
    """One deposit for the request, before any token is asked for."""
    kinds = [kind for kind, _ in got.events]
    deposits = kinds.count("deposit")
    expect(deposits > 0,
           "call_with_retries never paid into the budget with budget.deposit(): a budget "
           "that no request feeds runs dry after its first burst, and then refuses every "
           "retry, even on a good day (3.6: one deposit per request).")
    expect(deposits == 1,
           f"call_with_retries paid into the budget {deposits} times for one request "
           f"({got.calls} call(s)): one request, one deposit (3.6). A deposit per attempt "
           "lets failing calls pay for their own retries, and the budget no longer holds "
           "retries to a share of the requests.")
    expect("token" not in kinds or kinds.index("deposit") < kinds.index("token"),
           "call_with_retries asked the budget for a token before it paid in for the "
           "request: deposit first (3.6), or a request's first retry can be refused for want "
           "of the token the request itself earns.")


def _expect_same_tokens(want: Transcript, got: Transcript) -> None:
    """A token taken before each retry (and before its wait), none before the first call,
    one per retry, none when no retry follows; a refusal ends the run with the last
    error, without a wait."""
    expected, made = _calls_and_tokens(want), _calls_and_tokens(got)
    for index, (want_event, got_event) in enumerate(zip(expected, made, strict=False)):
        if want_event == got_event:
            continue
        if want_event[0] == "token":
            raise AssertionError(
                f"call_with_retries retried (call {got_event[1]}) without first taking a "
                "token with budget.try_spend(): every retry must get a token, or the budget "
                "cannot stop retries multiplying through layers during an outage.")
        raise AssertionError(
            "call_with_retries asked the budget for a token before its first call: the first "
            "call is never a retry, and costs no token." if index == 0 else
            f"call_with_retries asked the budget twice for one retry (before call "
            f"{want_event[1]}): one token per retry.")
    extra = made[len(expected):]
    if extra and not any(kind == "call" for kind, _ in extra):
        raise AssertionError(
            f"call_with_retries took a token with budget.try_spend() though no retry "
            f"followed ({_why_no_retry(got)}): a token pays for a retry, and is taken only "
            "once the wrapper knows it will retry (the error is retryable, attempts remain). "
            "A budget is shared by every caller: one drained by calls that never retry "
            "refuses the retries of others.")
    if len(made) != len(expected):
        _expect_calls(want, got)
    _expect_token_before_wait(got)
    _expect_one_deposit(got)
    _expect_same_ending(want, got)


@varied
def check_wrapper_spends_tokens_only_on_retries(call_with_retries, *, seed: int,
                                                reference) -> None:
    """With a budget, a request pays in once, before any token is asked for; each retry
    first takes a token, before its wait; the first call never does, nor a call that is not
    retried (an error not retryable, the last attempt); a refused token ends the run at
    once, without a wait, with the last error."""
    smoke = Scenario(7, 0.001, 0.004, seed % 1000, MIXED_FAILURES,
                     forever="ConnectionClosedError", tokens=3)
    scenarios = _scenarios(st.integers(1, 8), st.sampled_from(
        RETRYABLE_FAULTS + RETRYABLE_FAULTS + PERMANENT_FAULTS),
        st.none() | st.sampled_from(RETRYABLE_FAULTS), st.integers(0, 5))
    _check_wrapper(call_with_retries, reference, _expect_same_tokens, smoke, scenarios, seed)


# -- section 3: the retry wrapper against a fault-injected DynamoDB table ------------------------


@contextmanager
def throttled_table(throttled_calls: int):
    """A moto DynamoDB client (SDK retries off) whose first PutItem calls are throttled."""
    from resilience.sandbox import aws_sandbox

    clock = SimClock()
    with aws_sandbox(tables=[TABLE], clock=clock) as aws:
        dynamodb, faults = _faulty_client(aws, clock)
        faults.throttle("PutItem", first=throttled_calls)
        yield dynamodb, faults, clock


def _faulty_client(aws: Sandbox, clock: SimClock):
    """A DynamoDB client of the sandbox, SDK retries off, with a fault layer on its calls
    and a bound on them (code that never gives up fails instead of running for ever)."""
    from resilience.faults import FaultInjector

    dynamodb = aws.client("dynamodb", total_max_attempts=1)
    stop_runaway(dynamodb, "the table")
    return dynamodb, FaultInjector(dynamodb, clock=clock)


def _put(dynamodb: BaseClient, order_id: str):
    return lambda: dynamodb.put_item(TableName=TABLE, Item={"id": {"S": order_id}})


def _stored(dynamodb: BaseClient, order_id: str) -> dict | None:
    return dynamodb.get_item(TableName=TABLE, Key={"id": {"S": order_id}}).get("Item")


def check_retries_until_success(call_with_retries) -> None:
    """A throttled DynamoDB write is retried, with a jittered sleep, until it succeeds."""
    with throttled_table(throttled_calls=3) as (dynamodb, faults, clock):
        result = call_with_retries(_put(dynamodb, "o-1"), max_attempts=5, base=BASE_S,
                                   cap=CAP_S, sleep=clock.sleep, rng=random.Random(1))
        outcomes = faults.outcomes("PutItem")
        expect(outcomes == ["throttled"] * 3 + ["ok"],
               f"Against a table that throttles the first 3 writes, your wrapper made these "
               f"calls: {outcomes}. Expected 3 throttled calls and then a successful one.")
        expect(isinstance(result, dict) and "ResponseMetadata" in result,
               f"call_with_retries should return what the operation returned; got {result!r}.")
        expect(_stored(dynamodb, "o-1") is not None,
               "The item is not in the table after the retries.")
        expect_sleeps(clock, 3, "With 3 throttled calls before a success,")


# The faults the fault layer makes on a DynamoDB write that a retry can get past: how to add
# one for the first n writes, and the outcome it records. The service answers these:
SERVICE_FAULTS: dict[str, tuple[Callable[[Any, int], object], str]] = {
    "throttling": (lambda faults, n: faults.throttle("PutItem", first=n), "throttled"),
    "an HTTP 500": (lambda faults, n: faults.server_error("PutItem", first=n, status=500),
                    "server_error"),
    "an HTTP 503": (lambda faults, n: faults.server_error("PutItem", first=n, status=503),
                    "server_error"),
    "an HTTP 502": (lambda faults, n: faults.error("BadGateway", "PutItem", first=n,
                                                   status=502), "error"),
}
# and these the network loses (the write may have been done):
NETWORK_FAULTS: dict[str, tuple[Callable[[Any, int], object], str]] = {
    "a read timeout": (lambda faults, n: faults.timeout("PutItem", first=n), "timeout"),
    "a read timeout after the write was done": (
        lambda faults, n: faults.timeout("PutItem", first=n, delivered=True), "timeout"),
    "an unreachable endpoint": (lambda faults, n: faults.unreachable("PutItem", first=n),
                                "unreachable"),
    "a dropped connection": (lambda faults, n: faults.drop("PutItem", first=n), "dropped"),
    "a connection dropped after the write was done": (
        lambda faults, n: faults.drop("PutItem", first=n, delivered=True), "dropped"),
}
TRANSIENT_FAULTS = {**SERVICE_FAULTS, **NETWORK_FAULTS}


@varied
def check_retries_through_faults(call_with_retries, *, seed: int) -> None:
    """Against a real (moto) table whose fault layer fails the first writes in two of the
    ways AWS fails them (one the service answers, one the network loses, in either order),
    the wrapper retries until the write succeeds, and returns its response."""
    from resilience.sandbox import aws_sandbox

    scenario = random.Random(seed)
    first, second = scenario.sample([scenario.choice(sorted(SERVICE_FAULTS)),
                                     scenario.choice(sorted(NETWORK_FAULTS))], 2)
    max_attempts = scenario.randint(3, 7)
    failures = [scenario.randint(1, max_attempts - 2)]
    failures.append(scenario.randint(1, max_attempts - 1 - failures[0]))
    order_id = f"o-{scenario.randrange(10**6)}"
    clock = SimClock()
    with aws_sandbox(tables=[TABLE]) as aws:
        dynamodb, faults = _faulty_client(aws, clock)
        for name, count in zip((first, second), failures, strict=True):
            TRANSIENT_FAULTS[name][0](faults, count)
        case = (f"a table whose first {failures[0]} write(s) fail with {first}, then "
                f"{failures[1]} with {second}, and call_with_retries(put_item, max_attempts="
                f"{max_attempts}, ...)")
        try:
            result = call_with_retries(_put(dynamodb, order_id), max_attempts=max_attempts,
                                       base=BASE_S, cap=CAP_S, sleep=clock.sleep,
                                       rng=random.Random(seed))
        except (ClientError, ReadTimeoutError, ConnectTimeoutError, EndpointConnectionError,
                ConnectionClosedError) as error:
            raise AssertionError(
                f"Against {case}, your wrapper raised {describe_error(error)} after "
                f"{len(faults.outcomes('PutItem'))} call(s). Every one of those faults is "
                "transient: retry it until max_attempts calls have been made.") from None
        expected = ([TRANSIENT_FAULTS[first][1]] * failures[0]
                    + [TRANSIENT_FAULTS[second][1]] * failures[1] + ["ok"])
        outcomes = faults.outcomes("PutItem")
        expect(outcomes == expected, f"Against {case}, your wrapper's calls ended so: "
               f"{outcomes}; expected {expected}.")
        expect(isinstance(result, dict) and "ResponseMetadata" in result,
               f"Against {case}, call_with_retries returned {result!r}; it should return what "
               "the operation returned: put_item's response.")
        expect(_stored(dynamodb, order_id) is not None,
               f"Against {case}, the item is not in the table after the retries.")
        expect_sleeps(clock, sum(failures), f"Against {case},")


def _expect_tokens_per_retry(call_with_retries, scenario: Scenario, runs: int,
                             budget: SharedBudget, case: str) -> None:
    """``runs`` runs of ``scenario`` sharing ``budget`` take one token per retry they make:
    none for a call that is not retried, none after the last attempt."""
    before = budget.tokens
    transcripts = [run_wrapper(call_with_retries, scenario, budget) for _ in range(runs)]
    retries = sum(max(transcript.calls - 1, 0) for transcript in transcripts)
    taken = before - budget.tokens
    if taken <= retries:
        expect(taken == retries,
               f"{case}, call_with_retries made {retries} retries but took {taken} token(s) "
               "with budget.try_spend(): every retry must get a token, or the budget cannot "
               "stop retries multiplying through layers during an outage.")
        return
    raise AssertionError(
        f"{case}, call_with_retries took {taken} token(s) from a budget of {before} for "
        f"{retries} retries: a token pays for a retry, and is taken only when one follows "
        "(the error is retryable and attempts remain), not for an error it does not retry, "
        "nor after the last attempt. A budget is shared by every caller: drained by calls "
        "that never retry, it refuses the retries of other callers.")


def check_wrapper_respects_budget(call_with_retries, RetryBudget) -> None:
    """When the budget is empty the wrapper stops retrying, at once, but still makes the
    first call; it takes a token for each retry, and none when no retry follows; with the
    learner's own budget, retries stay the budget's share of the requests."""
    for scenario in (Scenario(3, BASE_S, CAP_S, 1, (), tokens=5),
                     Scenario(3, BASE_S, CAP_S, 2, ("ValidationException",), tokens=5),
                     Scenario(3, BASE_S, CAP_S, 3, ("ThrottlingException",), tokens=5),
                     Scenario(3, BASE_S, CAP_S, 4, (), forever="ThrottlingException",
                              tokens=5)):
        _expect_one_deposit(run_wrapper(call_with_retries, scenario))
    clock = SimClock()
    budget = RetryBudget(capacity=2, retry_cost=1)
    transcript = Transcript(Scenario(10, BASE_S, CAP_S, 5, (), forever="ThrottlingException"))
    try:
        call_with_retries(ScriptedOperation(transcript), max_attempts=10, base=BASE_S,
                          cap=CAP_S, sleep=clock.sleep, rng=random.Random(5), budget=budget)
    except ClientError:
        pass
    expect(transcript.calls == 3,
           f"With 2 tokens in the budget, a failing call should be tried once and retried "
           f"twice (3 calls); your wrapper made {transcript.calls}. The budget is what stops "
           "retries from multiplying through layers during an outage.")
    expect(len(clock.sleeps) == 2,
           f"With 2 tokens in the budget, a call that kept failing was retried twice but "
           f"waited {len(clock.sleeps)} times: {clock.sleeps}. When the budget refused a "
           "third retry, it should give up at once: take the token first, before the wait, "
           "and when try_spend() returns False raise without waiting (3.4). A wait spent "
           "before giving up only delays the error its caller is waiting for.")
    succeeding = Transcript(Scenario(10, BASE_S, CAP_S, 6, ()))
    result = call_with_retries(ScriptedOperation(succeeding), max_attempts=10, base=BASE_S,
                               cap=CAP_S, sleep=clock.sleep, rng=random.Random(5),
                               budget=budget)
    expect(succeeding.calls == 1,
           "An empty budget limits retries only: the first try of each call always goes out.")
    expect(result == succeeding.scenario.result(1),
           f"With an empty budget, a call that succeeded at once returned {result!r} from "
           f"call_with_retries; it should return what the operation returned, "
           f"{succeeding.scenario.result(1)!r}.")
    _expect_tokens_per_retry(
        call_with_retries, Scenario(3, BASE_S, CAP_S, 7, (), forever="ValidationException"),
        2, SharedBudget(2), "Two calls sharing a budget of 2 tokens, each of which raised "
        "ValidationException (an error not retried) with max_attempts=3")
    _expect_tokens_per_retry(
        call_with_retries, Scenario(3, BASE_S, CAP_S, 8, (), forever="ThrottlingException"),
        1, SharedBudget(5), "With a budget of 5 tokens, a call that raised "
        "ThrottlingException at every one of its max_attempts=3 calls")
    empty = run_wrapper(call_with_retries, Scenario(3, BASE_S, CAP_S, 9, (),
                                                    forever="ThrottlingException"),
                        SharedBudget(0))
    expect(not empty.kinds("wait"),
           f"With an empty budget, a call that raised ThrottlingException waited "
           f"{[seconds for _, seconds in empty.kinds('wait')]} before giving up: take the "
           "token first, before the wait, and when try_spend() returns False raise at once "
           "(3.4: without waiting again). A wait spent before giving up only delays the "
           "error its caller is waiting for.")
    _expect_retries_a_share(call_with_retries, RetryBudget)


SHARE_REQUESTS = 100  # requests against a dependency that always fails
SHARE_RETRY_COST = 10  # retries may be a tenth of the requests
SHARE_CAPACITY = 20  # a full budget pays for two retries more


def _retries_a_budget_allows(requests: int, retries_each: int) -> int:
    """Retries a share budget allows ``requests`` that each want ``retries_each``, when a
    request pays in before its first retry and a refusal ends it."""
    budget = ShareBudget(SHARE_CAPACITY, SHARE_RETRY_COST)
    retries = 0
    for _ in range(requests):
        budget.deposit()
        for _ in range(retries_each):
            if not budget.try_spend():
                break
            retries += 1
    return retries


def _expect_retries_a_share(call_with_retries, RetryBudget) -> None:
    """The learner's wrapper and budget together, against an outage: a request earns one
    token and a retry costs ``SHARE_RETRY_COST``, so retries stay a tenth of the requests,
    plus the budget's first burst."""
    budget = RetryBudget(capacity=SHARE_CAPACITY, retry_cost=SHARE_RETRY_COST)
    clock = SimClock()
    calls = 0
    for request in range(SHARE_REQUESTS):
        transcript = Transcript(Scenario(3, BASE_S, CAP_S, request, (),
                                         forever="ThrottlingException"))
        with suppress(ClientError):
            call_with_retries(ScriptedOperation(transcript), max_attempts=3, base=BASE_S,
                              cap=CAP_S, sleep=clock.sleep, rng=random.Random(request),
                              budget=budget)
        calls += transcript.calls
    retries_wanted = _retries_a_budget_allows(SHARE_REQUESTS, retries_each=2)
    retries = calls - SHARE_REQUESTS
    expect(retries == retries_wanted,
           f"{SHARE_REQUESTS} requests against a dependency that always fails, with "
           f"max_attempts=3 and RetryBudget(capacity={SHARE_CAPACITY}, retry_cost="
           f"{SHARE_RETRY_COST}), made {retries} retries; a budget that each request pays "
           f"one token into and each retry takes {SHARE_RETRY_COST} from allows "
           f"{retries_wanted}: a tenth of the requests, plus what the full budget held. "
           + ("More than that, and in an outage every layer adds its retries to the load "
              "the dependency cannot take." if retries > retries_wanted else
              "Fewer, and the budget refuses the retries that ride out a short blip: does "
              "each request pay in once with budget.deposit(), before its first retry?"))


# -- section 4: the retry budget ----------------------------------------------------------------


def check_budget(RetryBudget) -> None:
    """The budget starts full, earns a token per request, refuses short of a retry's cost,
    and never overfills."""
    budget = RetryBudget(capacity=30, retry_cost=10)
    spent = [budget.try_spend() for _ in range(4)]
    expect(spent == [True, True, True, False],
           f"A new RetryBudget(capacity=30, retry_cost=10) should allow 3 retries, then "
           f"refuse: got {spent}." + (" A new budget starts full." if not spent[0] else ""))
    for _ in range(9):
        budget.deposit()
    expect(budget.try_spend() is False,
           "After 9 requests an empty budget holds 9 tokens: not enough for a retry that "
           "costs 10, yet try_spend() did not return False.")
    budget.deposit()
    expect(budget.try_spend() is True,
           "After 10 requests an empty budget holds 10 tokens, the cost of one retry, yet "
           "try_spend() did not return True. Count whole tokens, one per deposit() (ten "
           "tenths of a token add up to 0.9999999999999999 in floating point): a budget "
           "that undercounts what requests pay in refuses retries for good after one bad "
           "minute.")
    for _ in range(1000):
        budget.deposit()
    spent = [budget.try_spend() for _ in range(5)]
    expect(spent.count(True) == 3,
           f"After 1,000 requests a capacity-30 budget should allow exactly 3 retries of cost "
           f"10; it allowed {spent.count(True)}. "
           + ("Tokens must not pile up beyond capacity, or a burst of retries follows a "
              "quiet spell." if spent.count(True) > 3 else ""))


BUDGET_STEPS = 400  # deposits and try_spend calls per run: miscounts show over hundreds
RETRY_COSTS = (1, 2, 3, 5, 10, 14)  # 14: what botocore's quota charges a timeout's retry


def _budget_steps(scenario: random.Random, capacity: int, retry_cost: int) -> list[str]:
    """``BUDGET_STEPS`` calls, ``"deposit"`` or ``"spend"``, in phases: an outage (retries
    wanted faster than requests pay for them), steady traffic (the budget hovers around one
    retry's cost) and a quiet spell (requests without retries fill it past capacity)."""
    steps: list[str] = []
    while len(steps) < BUDGET_STEPS:
        phase = scenario.choice(("outage", "steady", "quiet"))
        if phase == "outage":
            for _ in range(scenario.randint(1, capacity // retry_cost + 3)):
                steps += ["deposit"] * scenario.randint(0, 1) + ["spend"] * 2
        elif phase == "steady":
            for _ in range(scenario.randint(2, 6)):
                steps += ["deposit"] * scenario.randint(retry_cost - 1, retry_cost + 1)
                steps.append("spend")
        else:
            steps += ["deposit"] * scenario.randint(capacity // 2, capacity + 5)
    return steps[:BUDGET_STEPS]


@dataclass
class BudgetRun:
    """A budget's run as the check replays it: its settings, and each step so far."""

    capacity: int
    retry_cost: int
    steps: list[str] = field(default_factory=list)

    def recent(self, count: int = 8) -> str:
        return ", ".join(self.steps[-count:])


def _budget_hint(run: BudgetRun, got: bool, held: int, deposits_since_spend: int) -> str:
    """Why a budget answers ``got`` when a right one held ``held`` tokens before the call;
    ``deposits_since_spend``: deposits since the last try_spend()."""
    if got:
        return (f"It allowed a retry while a right budget holds {held} token(s), fewer than "
                f"the retry_cost of {run.retry_cost}. "
                + ("The deposits since the last retry would have filled it past capacity: "
                   "tokens must not pile up beyond capacity, or a burst of retries follows a "
                   "quiet spell." if held == run.capacity and deposits_since_spend > 0 else
                   "It counted more tokens than requests paid in (one per deposit()), or "
                   "took fewer than retry_cost for a retry: then retries are more than their "
                   "share of the traffic."))
    return (f"It refused while a right budget holds {held} token(s), enough for a retry "
            f"costing {run.retry_cost}. "
            + ("A new budget starts full." if run.steps.count("deposit") == 0 else
               "Each deposit() earns one whole token, and a retry costs exactly retry_cost: "
               "a budget that undercounts what requests pay in, or charges a retry more, "
               "refuses the retries that ride out a short blip."))


@varied
def check_budget_over_time(RetryBudget, *, seed: int, reference) -> None:
    """Over hundreds of calls, in outages, steady traffic and quiet spells, at a generated
    capacity and retry cost, the budget answers each ``try_spend()`` exactly as a budget
    that counts one token per request and ``retry_cost`` per retry does."""
    scenario = random.Random(seed)
    retry_cost = scenario.choice(RETRY_COSTS)
    run = BudgetRun(retry_cost * scenario.randint(1, 5) + scenario.randrange(retry_cost),
                    retry_cost)
    mine = RetryBudget(capacity=run.capacity, retry_cost=run.retry_cost)
    theirs = reference.RetryBudget(capacity=run.capacity, retry_cost=run.retry_cost)
    deposits_since_spend = 0
    for step in _budget_steps(scenario, run.capacity, run.retry_cost):
        if step == "deposit":
            mine.deposit()
            theirs.deposit()
            deposits_since_spend += 1
            run.steps.append("deposit")
            continue
        held = theirs.tokens
        want, got = theirs.try_spend(), mine.try_spend()
        expect(got is want,
               f"A RetryBudget(capacity={run.capacity}, retry_cost={run.retry_cost}) answered "
               f"try_spend() number {run.steps.count('spend') + 1}, after "
               f"{run.steps.count('deposit')} deposit() calls, with {got!r}; a right budget "
               f"answers {want!r}. " + _budget_hint(run, bool(got), held, deposits_since_spend)
               + f" The last calls, as a right budget answers them: {run.recent()}.")
        deposits_since_spend = 0
        run.steps.append(f"try_spend() -> {want}")


# -- section 5: save_order ----------------------------------------------------------------------

SAVE_ORDER_ATTEMPTS = 5  # what section 5 asks for
SAVE_ORDER_BASE_S = 0.05
SAVE_ORDER_CAP_S = 1.0


def _order(scenario: random.Random, cents: bool = False) -> dict:
    """An order as section 5 describes it: an id string, and a total, whole or in cents."""
    total = scenario.randint(1, 10**6) / 100 if cents else scenario.randint(0, 10**6)
    return {"id": f"o-{scenario.randrange(10**9)}", "total": total}


def _fine_totals(scenario: random.Random) -> list[float]:
    """Totals of every precision an order may have, each a valid DynamoDB number: one in
    thousandths (12.345), one tiny (0.004, 1e-07), one whole and one in cents, in a random
    order. Two of them have more decimals than cents."""
    thousandths = scenario.randint(1, 10**6) * 10 + scenario.randint(1, 9)
    tiny = float(f"{scenario.randint(1, 99)}e-{scenario.randint(3, 9)}")
    totals = [thousandths / 1000, tiny, scenario.randint(0, 10**6),
              scenario.randint(1, 10**6) / 100]
    scenario.shuffle(totals)
    return totals


def _same_number(text: object, total: float) -> bool:
    """Whether DynamoDB's number text ``text`` is the number ``total`` (``"1999"``,
    ``"1999.0"`` and ``"1.999E+3"`` all are)."""
    try:
        return isinstance(text, str) and float(Decimal(text)) == float(total)
    except InvalidOperation:
        return False


def _expected_waits(seed: int, retries: int) -> list[float]:
    """The waits section 5's settings draw from random.Random(seed), before each retry."""
    rng = random.Random(seed)
    return [rng.uniform(0, ceiling(retry, SAVE_ORDER_BASE_S, SAVE_ORDER_CAP_S))
            for retry in range(retries)]


def _expect_order_waits(clock: SimClock, seed: int, retries: int, case: str) -> None:
    """save_order waited, through the sleep it was given, the waits its settings imply."""
    expect_sleeps(clock, retries, f"{case},")
    want = _expected_waits(seed, retries)
    expect(all(_close(got, wanted) for got, wanted in zip(clock.sleeps, want, strict=True)),
           f"{case}, save_order waited {clock.sleeps}; call_with_retries with base 0.05 s, "
           f"cap 1 s and the rng it was given (random.Random({seed})) waits {want}. Pass "
           "save_order's own sleep and rng on, with the settings section 5 gives.")


def _save(save_order, dynamodb: BaseClient, order: dict, clock: SimClock, seed: int):
    """save_order's outcome: ("returned", value) or ("raised", error)."""
    try:
        return "returned", save_order(dynamodb, dict(order), sleep=clock.sleep,
                                      rng=random.Random(seed))
    except (ClientError, ReadTimeoutError, ConnectTimeoutError, EndpointConnectionError,
            ConnectionClosedError) as error:
        return "raised", error


def _expect_saved(save_order, aws: Sandbox, scenario: random.Random, seed: int) -> None:
    """Through a few transient faults, the order is stored, with its fields as DynamoDB
    types, after one wait per failed write."""
    name = scenario.choice(sorted(TRANSIENT_FAULTS))
    failures = scenario.randint(1, SAVE_ORDER_ATTEMPTS - 1)
    order, clock = _order(scenario, cents=True), SimClock()
    dynamodb, faults = _faulty_client(aws, clock)
    TRANSIENT_FAULTS[name][0](faults, failures)
    case = f"Saving {order} to a table whose first {failures} write(s) fail with {name}"
    kind, value = _save(save_order, dynamodb, order, clock, seed)
    writes = len(faults.outcomes("PutItem"))
    expect(kind == "returned",
           f"{case}, save_order raised {describe_error(value)} after {writes} write(s). "
           + ("Write through call_with_retries, so throttled writes are retried instead of "
              "lost. " if writes == 1 else "")
           + f"With max_attempts=5, {failures} failed write(s) are retried, and the next one "
           "succeeds.")
    item = _stored(dynamodb, order["id"])
    expect(item is not None, f"{case}: the order is not in the '{TABLE}' table afterwards.")
    assert item is not None  # for the type checker: expect() has just said so
    total = item.get("total", {})
    expect(item.get("id") == {"S": order["id"]} and set(total) == {"N"}
           and _same_number(total["N"], order["total"]),
           f"{case}, the stored item is {item}; expected {{'id': {{'S': {order['id']!r}}}, "
           f"'total': {{'N': {str(order['total'])!r}}}}}: the id as a string (S), the total "
           "as a number (N, which DynamoDB takes as a string).")
    expected = [TRANSIENT_FAULTS[name][1]] * failures + ["ok"]
    expect(faults.outcomes("PutItem") == expected,
           f"{case}, the table saw these writes: {faults.outcomes('PutItem')}; expected "
           f"{expected}: each failed write retried, then one that succeeded.")
    _expect_order_waits(clock, seed, failures, case)


def _expect_raised_after_five(save_order, aws: Sandbox, scenario: random.Random,
                              seed: int) -> None:
    """When every write fails, save_order makes 5 and raises the last one's error (one the
    service answered, after some the network may have lost)."""
    lost = scenario.choice([name for name in sorted(NETWORK_FAULTS) if "done" not in name])
    answered = scenario.choice(sorted(SERVICE_FAULTS))
    first = scenario.randint(0, SAVE_ORDER_ATTEMPTS - 2)
    order, clock = _order(scenario), SimClock()
    dynamodb, faults = _faulty_client(aws, clock)
    NETWORK_FAULTS[lost][0](faults, first)
    SERVICE_FAULTS[answered][0](faults, RUNAWAY_CALLS)
    case = (f"Saving {order} to a table that fails every write (the first {first} with {lost}, "
            f"every later one with {answered})" if first else
            f"Saving {order} to a table that fails every write with {answered}")
    kind, value = _save(save_order, dynamodb, order, clock, seed)
    writes = len(faults.outcomes("PutItem"))
    expect(writes == SAVE_ORDER_ATTEMPTS,
           f"{case}, save_order made {writes} write(s); with max_attempts=5 it makes 5 in all, "
           "the first included.")
    expect(kind == "raised",
           f"{case}, save_order returned {value!r} though the order was never stored. When "
           "the write still fails after its retries, raise that error: an order lost "
           "silently is a customer who paid for nothing.")
    _expect_order_waits(clock, seed, SAVE_ORDER_ATTEMPTS - 1, case)


def _expect_rejected_at_once(save_order, aws: Sandbox, scenario: random.Random,
                             seed: int) -> None:
    """A write the service rejects is not retried: its error is raised at once."""
    code = scenario.choice(["ValidationException", "AccessDeniedException"])
    order, clock = _order(scenario), SimClock()
    dynamodb, faults = _faulty_client(aws, clock)
    faults.error(code, "PutItem")
    case = f"Saving {order} to a table that answers every write with {code}"
    kind, value = _save(save_order, dynamodb, order, clock, seed)
    did = f"raised {describe_error(value)}" if kind == "raised" else f"returned {value!r}"
    expect(kind == "raised" and isinstance(value, ClientError) and _code(value) == code,
           f"{case}, save_order {did}; it should raise the {code} itself, so its caller "
           "knows the order was not stored.")
    writes = len(faults.outcomes("PutItem"))
    expect(writes == 1, f"{case}, save_order made {writes} writes: that error can never "
           "succeed on retry, so it is raised after the first.")


def _expect_totals_kept(save_order, aws: Sandbox, scenario: random.Random, seed: int) -> None:
    """Orders whose totals have more decimals than cents (12.345, 0.004, 1e-07) are stored
    with those very numbers: not rounded, not truncated."""
    clock = SimClock()
    dynamodb, _faults = _faulty_client(aws, clock)
    for total in _fine_totals(scenario):
        order_id = f"o-{scenario.randrange(10**9)}"
        order = {"id": order_id, "total": total}
        kind, value = _save(save_order, dynamodb, order, clock, seed)
        expect(kind == "returned", f"Saving {order} to a table that fails no write, "
               f"save_order raised {describe_error(value)}.")
        item = _stored(dynamodb, order_id)
        expect(item is not None,
               f"Saving {order}: the order is not in the '{TABLE}' table afterwards.")
        assert item is not None  # for the type checker: expect() has just said so
        expect(_same_number(item.get("total", {}).get("N"), total),
               f"Saving {order}, the stored total is {item.get('total')}, which is not the "
               f"number {total!r}: write the total itself as text (str(total) is "
               f"{str(total)!r}), not a rounded or truncated form of it. An order's total is "
               "what the customer is charged: 12.345 stored as 12.35 is another amount, and "
               "0.004 stored as 0.00 is none at all.")


@varied
def check_save_order(save_order, *, seed: int) -> None:
    """save_order stores an order in DynamoDB through generated transient faults, with 5
    attempts, base 0.05 s and cap 1 s, and the sleep and rng it is given; it raises when
    every write fails, and when the service rejects the write; and the total it stores is
    the order's very number, whatever its decimals."""
    from resilience.sandbox import aws_sandbox

    scenario = random.Random(seed)
    with aws_sandbox(tables=[TABLE]) as aws:
        _expect_saved(save_order, aws, scenario, seed)
        _expect_raised_after_five(save_order, aws, scenario, seed)
        _expect_rejected_at_once(save_order, aws, scenario, seed)
        _expect_totals_kept(save_order, aws, scenario, seed)

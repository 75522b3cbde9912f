"""Checks for lab 01: a timeout chosen from latencies, a configured client, a deadline.

``pick_timeout`` is held to the formula its instructions state, on samples of every shape
(ties, even counts, shares that fall exactly on a rank). ``make_client``'s client is read
back and run against a hung or unreachable endpoint, botocore's own retries included, in
simulated time (the course's fault layer answers every call: nothing leaves the machine).
``call_with_deadline`` is run against scripted operations: each attempt takes some
simulated time, then returns or raises. Every decision it makes (try again, wait, give up)
is judged by the rules of the instructions, from what it actually did; its waits are
replayed from the seed it was given, and over a long run its outcomes are compared with the
reference's.
"""

from __future__ import annotations

import copy
import functools
import math
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from typing import TypeGuard

from botocore.client import BaseClient
from botocore.config import Config
from botocore.exceptions import (
    ClientError,
    ConnectionClosedError,
    ConnectTimeoutError,
    EndpointConnectionError,
    NoCredentialsError,
    ParamValidationError,
    ReadTimeoutError,
)
from hypothesis import strategies as st

from resilience.checks import RUNAWAY_CALLS, TooManyCalls, expect, varied
from resilience.checks.properties import (
    ENDPOINT,
    connection_errors,
    for_all,
    permanent_errors,
    server_errors,
    throttling_errors,
)
from resilience.checks.requirements import Requirement
from resilience.clock import SimClock
from resilience.models.timeouts import Dependency

LAB = "01-timeouts"

T_PICK_PERCENTILE = "test_pick_timeout_percentile"
T_PICK_HEADROOM = "test_pick_timeout_headroom"
T_CLIENT_CONFIG = "test_client_configuration"
T_CLIENT_TIMES_OUT = "test_client_times_out"
T_RETRIES = "test_deadline_retries_timeouts"
T_NEVER_OUTLIVED = "test_deadline_never_outlived"
T_NON_RETRYABLE = "test_deadline_non_retryable"
T_USEFUL_WORK = "test_deadline_useful_work"
T_JITTER = "test_deadline_jitter"

REQUIREMENTS = (
    Requirement("1.1", "the **nearest-rank percentile** at `1 - false_timeout_rate`",
                (T_PICK_PERCENTILE, T_PICK_HEADROOM),
                "Where `fraction * n` is a whole number only up to float rounding, the rank "
                "float arithmetic gives is accepted as well as the exact one."),
    Requirement("1.2", "never less than `headroom` times the **median**",
                (T_PICK_HEADROOM,)),
    Requirement("2.1", "return `session.client(\"dynamodb\", config=...)`",
                (T_CLIENT_CONFIG, T_CLIENT_TIMES_OUT),
                "Passing `region_name` too, or building the Config in steps (`merge`), is "
                "accepted: the client is read back."),
    Requirement("2.2", "sets the connect timeout to `connect_timeout_s`",
                (T_CLIENT_CONFIG, T_CLIENT_TIMES_OUT)),
    Requirement("2.3", "the read timeout to `read_timeout_s`",
                (T_CLIENT_CONFIG, T_CLIENT_TIMES_OUT)),
    Requirement("2.4", "retries in `\"standard\"` mode", (T_CLIENT_CONFIG,)),
    Requirement("2.5", "making `max_attempts` attempts **in all**, the first one included",
                (T_CLIENT_CONFIG, T_CLIENT_TIMES_OUT),
                "`\"total_max_attempts\": max_attempts` and `\"max_attempts\": max_attempts - 1` "
                "both count right."),
    Requirement("3.1", "call `operation()` and return its result, whatever it is",
                (T_RETRIES, T_USEFUL_WORK)),
    Requirement("3.2", "when it raises a timeout or a dropped connection",
                (T_RETRIES, T_NEVER_OUTLIVED, T_USEFUL_WORK)),
    Requirement("3.3", "wait `rng.uniform(0, min(cap, base * 2**retry))` through `sleep`",
                (T_RETRIES, T_JITTER, T_USEFUL_WORK),
                "`rng.random() * ceiling` draws the same values. The draw for a wait that is "
                "then not slept (the call gives up) may be made or skipped."),
    Requirement("3.4", "raise any other error at once, unchanged", (T_NON_RETRYABLE,),
                "Other connection failures of botocore (SSLError, ProxyConnectionError) and "
                "Python's own ConnectionError and TimeoutError are not among the errors "
                "tried: retrying them or not both count right."),
    Requirement("3.5", "time is `clock()` (seconds); the deadline counts from when "
                       "`call_with_deadline` starts", (T_NEVER_OUTLIVED, T_USEFUL_WORK),
                "`clock.now()` reads the same clock (the checks pass a SimClock)."),
    Requirement("3.6", "**never start an attempt, nor a wait before one, that could end past "
                       "the deadline**", (T_NEVER_OUTLIVED, T_USEFUL_WORK),
                "An attempt or wait that would end exactly at the deadline may be started or "
                "not (float rounding decides either way)."),
    Requirement("3.7", "raise `TimeoutError` instead", (T_NEVER_OUTLIVED,),
                "A subclass of TimeoutError counts; its cause (`from last_error`) must be the "
                "last attempt's error, of its type."),
)


def _is_number(value: object) -> TypeGuard[float]:
    """A plain int or float (not a bool, not a container)."""
    return isinstance(value, int | float) and not isinstance(value, bool)


# -- choosing a timeout --------------------------------------------------------------------

# False-timeout rates the hidden checks try: decimals, whose share 1 - rate falls exactly on
# a rank for some sample sizes (where a rank that is off by one shows).
RATES = (0.5, 0.25, 0.2, 0.1, 0.05, 0.02, 0.01, 0.005, 0.002, 0.001, 0.0)
MAX_SAMPLE = 2000  # latencies in one generated sample
SAMPLE_SHAPES = ("heavy tail", "tight", "few values")
SHOWN_LATENCIES = 12  # a failing sample this small is printed in full
RELATIVE_TOLERANCE = 1e-9  # between two float computations of the same formula


def nearest_ranks(count: int, fraction: float) -> set[int]:
    """The ranks (from 1) the nearest-rank percentile at ``fraction`` of ``count`` values may
    take: ``ceil(fraction * count)`` in exact decimal arithmetic, or as floats compute it
    (counted or multiplied), which may differ by one where the product is a whole number."""
    exact = math.ceil(Fraction(repr(fraction)) * count)
    multiplied = math.ceil(fraction * count)
    first = max(1, multiplied - 1)  # float rounding moves the counted rank by one at most
    counted = next((rank for rank in range(first, count + 1) if rank / count >= fraction),
                   count)
    return {min(count, max(1, rank)) for rank in (exact, multiplied, counted)}


def timeouts_allowed(sample: list[float], rate: float, headroom: float) -> set[float]:
    """What the instructions' formula gives: the nearest-rank percentile at ``1 - rate``,
    but at least ``headroom`` times the nearest-rank median."""
    ordered = sorted(sample)
    return {max(ordered[rank - 1], headroom * ordered[middle - 1])
            for rank in nearest_ranks(len(ordered), 1 - rate)
            for middle in nearest_ranks(len(ordered), 0.5)}


def _matches(got: object, allowed: set[float]) -> bool:
    return _is_number(got) and any(math.isclose(got, value, rel_tol=RELATIVE_TOLERANCE)
                                   for value in allowed)


def _ranks_of(value: float, ordered: list[float]) -> str:
    """Where ``value`` sits in the sorted sample, in words: "rank 7" or "ranks 7 to 9"."""
    ranks = [i + 1 for i, latency in enumerate(ordered)
             if math.isclose(latency, value, rel_tol=RELATIVE_TOLERANCE)]
    if not ranks:
        return ""
    return f"rank {ranks[0]}" if len(ranks) == 1 else f"ranks {ranks[0]} to {ranks[-1]}"


def _where_it_sits(got: object, ordered: list[float], headroom: float) -> str:
    """A hint: which latency of the sample (or multiple of one) the answer returned."""
    if not _is_number(got):
        return f"It returned {got!r}: return the timeout in seconds, a number."
    ranks = _ranks_of(got, ordered)
    if ranks:
        return f"Your value is the latency at {ranks} of the sorted sample."
    scaled = _ranks_of(got / headroom, ordered) if headroom else ""
    if scaled:
        return f"Your value is headroom x the latency at {scaled} of the sorted sample."
    return ("Your value is none of the latencies, nor headroom times one: a nearest-rank "
            "percentile is a value of the sample itself, never an interpolation between two "
            "(nor a mean).")


def _pick_timeout_message(got: object, sample: list[float], rate: float,
                          headroom: float) -> str:
    """Why ``got`` is not the timeout the formula gives, with the ranks that make it up."""
    ordered = sorted(sample)
    count = len(ordered)
    rank, middle = min(nearest_ranks(count, 1 - rate)), min(nearest_ranks(count, 0.5))
    percentile, median = ordered[rank - 1], ordered[middle - 1]
    binds = headroom * median > percentile
    expected = max(percentile, headroom * median)
    name = f"p{100 * (1 - rate):.6g}"
    what = (f"headroom x median = {headroom:g} x {median:.6g} = {expected:.6g} s (the median is "
            f"the nearest-rank percentile at 0.5: rank {middle} of {count}), which is more than "
            f"the {name}" if binds else
            f"the {name} of the sample, {expected:.6g} s: its nearest-rank percentile at 1 - "
            f"{rate:g}, the latency at rank ceil({1 - rate:g} x {count}) = {rank} of the "
            f"{count} sorted, counting from 1")
    return (f"pick_timeout(sample, {rate:g}, {headroom:g}) should return {what}; it returned "
            f"{got!r}. {_where_it_sits(got, ordered, headroom)}")


@dataclass(frozen=True)
class LatencySample:
    """A sample of latencies, built from a few numbers (what Hypothesis draws and shrinks)."""

    shape: str  # heavy tail: log-normal; tight: within 5% of 0.1 s; few values: many ties
    count: int
    seed: int

    def latencies(self) -> list[float]:
        """The sample, in the order a metric would record it (unsorted)."""
        rng = random.Random(self.seed)
        if self.shape == "tight":
            return [0.1 * (1 + rng.uniform(-0.05, 0.05)) for _ in range(self.count)]
        if self.shape == "few values":
            values = [round(rng.uniform(0.01, 2.0), 3) for _ in range(3)]
            return [rng.choice(values) for _ in range(self.count)]
        return Dependency(sigma=rng.uniform(0.3, 1.2)).sample(self.count, rng)


@st.composite
def _timeout_inputs(draw, headrooms: st.SearchStrategy[float]):
    """(sample, rate, headroom): sizes are often multiples of the rate's denominator, so
    that the share ``1 - rate`` falls exactly on a rank."""
    rate = draw(st.sampled_from(RATES))
    step = Fraction(str(rate)).denominator
    count = draw(st.one_of(st.integers(1, 300),
                           st.integers(1, max(1, MAX_SAMPLE // step)).map(lambda k: k * step)))
    sample = LatencySample(draw(st.sampled_from(SAMPLE_SHAPES)), count,
                           draw(st.integers(0, 2**32 - 1)))
    return sample, rate, draw(headrooms)


def _show_timeout_input(example) -> str:
    sample, rate, headroom = example
    latencies = sample.latencies()
    shown = (repr(latencies) if len(latencies) <= SHOWN_LATENCIES else
             f"{len(latencies)} latencies ({sample.shape}, "
             f"LatencySample({sample.shape!r}, {sample.count}, {sample.seed}).latencies())")
    return f"pick_timeout({shown}, {rate}, {headroom})"


def _check_timeouts(pick_timeout, headrooms: st.SearchStrategy[float], seed: int) -> None:
    """``pick_timeout`` gives the formula's value on generated samples, rates, headrooms."""
    def prove(example) -> None:
        sample, rate, headroom = example
        latencies = sample.latencies()
        got = pick_timeout(latencies, rate, headroom)
        expect(_matches(got, timeouts_allowed(latencies, rate, headroom)),
               _pick_timeout_message(got, latencies, rate, headroom))

    for_all(_timeout_inputs(headrooms), prove, seed=seed, show=_show_timeout_input)


def check_pick_timeout_percentile(pick_timeout) -> None:
    """The timeout is the latency percentile that matches the false-timeout rate."""
    sample = Dependency().sample(10_000, random.Random(1))
    for rate in (0.001, 0.01, 0.0001):
        got = pick_timeout(list(sample), rate)
        expect(_matches(got, timeouts_allowed(sample, rate, 2.0)),
               _pick_timeout_message(got, sample, rate, 2.0)
               + " A timeout abandons the calls slower than itself: the share it abandons is "
                 "the false-timeout rate.")


@varied
def check_pick_timeout_on_any_sample(pick_timeout, *, seed: int) -> None:
    """The nearest-rank percentile on samples of any size and shape, for any rate (with a
    headroom of 1, which never binds when ``1 - rate`` is at least one half)."""
    _check_timeouts(pick_timeout, st.just(1.0), seed)


@varied
def check_pick_timeout_headroom(pick_timeout, *, seed: int) -> None:
    """When the tail sits close to the median, the timeout keeps headroom above it."""
    _check_timeouts(pick_timeout, st.one_of(st.sampled_from([1.5, 2.0, 3.0]),
                                            st.floats(1.0, 8.0)), seed)


# -- a configured client -------------------------------------------------------------------

FAKE_CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
# Where the checks' clients would send a call the fault layer let through: a closed port on
# this machine (the fault layer answers every call these checks make; this is a safety net).
NOWHERE = "http://127.0.0.1:9"
CLIENT_EXAMPLES = 6  # generated configurations (each builds a client: ~20 ms)


class Session:
    """What the checks hand ``make_client``: a boto3 session offering
    ``client(service_name, region_name=None, config=None)`` and nothing else."""

    def __init__(self) -> None:
        from resilience.sandbox import aws_session

        self._session = aws_session()
        self.made: list[tuple[BaseClient, dict]] = []  # each client, and the retries asked for

    def client(self, service_name: str, region_name: str | None = None,
               config: Config | None = None) -> BaseClient:
        """A client for ``service_name``, as ``boto3.session.Session.client`` makes it."""
        asked = copy.deepcopy(getattr(config, "retries", None) or {})  # botocore fills it in
        client = self._session.client(service_name, region_name=region_name, config=config,
                                      endpoint_url=NOWHERE, **FAKE_CREDENTIALS)
        self.made.append((client, asked))
        return client

    def retries_asked_of(self, client: object) -> dict:
        """The retry settings the Config that made ``client`` stated (botocore's defaults
        not filled in)."""
        return next((asked for made, asked in self.made if made is client), {})


@dataclass(frozen=True)
class ClientSettings:
    """The arguments one ``make_client`` call gets."""

    connect_timeout_s: float
    read_timeout_s: float
    max_attempts: int

    def __str__(self) -> str:
        return (f"make_client(session, connect_timeout_s={self.connect_timeout_s}, "
                f"read_timeout_s={self.read_timeout_s}, max_attempts={self.max_attempts})")


def _make(make_client, settings: ClientSettings) -> tuple[BaseClient, dict]:
    """The learner's client for ``settings``, made from a session of ours, and the retry
    settings its Config stated."""
    session = Session()
    client = make_client(session, connect_timeout_s=settings.connect_timeout_s,
                         read_timeout_s=settings.read_timeout_s,
                         max_attempts=settings.max_attempts)
    expect(isinstance(client, BaseClient) and any(client is c for c, _ in session.made),
           f"{settings} should return the client it made with session.client(...), for this "
           f"call's session: got {type(client).__name__}. Build each client from the session "
           "you are given (not boto3.client, nor one kept from an earlier call), so one place "
           "decides every client's configuration.")
    service = client.meta.service_model.service_name
    expect(service == "dynamodb", f"make_client should make a DynamoDB client, not {service}.")
    return client, session.retries_asked_of(client)


def _total_attempts(retries: dict) -> int | None:
    """The attempts in all that botocore's retry settings make (None if they set none)."""
    if "total_max_attempts" in retries:
        return retries["total_max_attempts"]
    return retries["max_attempts"] + 1 if "max_attempts" in retries else None


def _check_configuration(make_client, settings: ClientSettings) -> None:
    """The client ``make_client`` makes for ``settings`` is configured as they ask."""
    client, asked = _make(make_client, settings)
    config = client.meta.config
    connect_s, read_s = settings.connect_timeout_s, settings.read_timeout_s
    expect(config.connect_timeout == connect_s and config.read_timeout == read_s,
           f"{settings} made a client whose connect/read timeouts are "
           f"{config.connect_timeout} s / {config.read_timeout} s, not {connect_s} s / "
           f"{read_s} s. botocore's defaults are 60 s each: left alone, one stuck call "
           "holds a worker for minutes. Set both in the client's Config, in seconds, as "
           "given.")
    expect(asked.get("mode") == "standard",
           f"The Config's retry mode is {asked.get('mode')!r}; ask for 'standard' explicitly. "
           "The default mode differs between SDK versions (and changes in late 2026), so "
           "state the one you rely on.")
    total = _total_attempts(config.retries or {})
    attempts = settings.max_attempts
    expect(total == attempts,
           f"{settings} made a client that makes {total} attempt(s) in all, not {attempts}. "
           + ("In botocore's Config, retries={'max_attempts': N} means N retries AFTER the "
              "first call; use 'total_max_attempts' to count them all."
              if total == attempts + 1 else "Set it in the retries settings, from "
                                            "max_attempts."))


def check_client_configuration(make_client) -> None:
    """The client's real configuration has the timeouts and retry settings asked for."""
    for settings in (ClientSettings(0.5, 1.5, 3), ClientSettings(2.0, 0.25, 1),
                     ClientSettings(1.0, 4.0, 5), ClientSettings(0.5, 1.5, 3)):  # again:
        _check_configuration(make_client, settings)  # a new session, a new client


def _client_settings():
    """Any sane settings: timeouts from 10 ms to a minute, 1 to 10 attempts."""
    timeouts_s = st.floats(0.01, 60.0).map(lambda s: round(s, 3))
    return st.builds(ClientSettings, timeouts_s, timeouts_s, st.integers(1, 10))


@varied
def check_client_configuration_for_any_settings(make_client, *, seed: int) -> None:
    """Every setting is passed through, whatever its value."""
    for_all(_client_settings(), lambda settings: _check_configuration(make_client, settings),
            seed=seed, examples=CLIENT_EXAMPLES, show=str)


def _attempts_against(client: BaseClient, fault: str, state: str) -> tuple[list[str], float]:
    """Call ``client`` once against an endpoint that hangs (``fault`` "timeout") or cannot
    be reached ("unreachable"): the outcome of each attempt, and the simulated seconds the
    attempts took (botocore's own waits between them left out)."""
    from resilience.faults import FaultInjector
    from resilience.sandbox import route_retry_sleeps

    clock = SimClock()
    route_retry_sleeps(client, clock)
    faults = FaultInjector(client, clock=clock)
    getattr(faults, fault)()
    try:
        client.get_item(TableName="readings", Key={"id": {"S": "r-1"}})
    except (ReadTimeoutError, ConnectTimeoutError):
        pass
    else:
        raise AssertionError(f"A call to a service that is {state} returned normally.")
    return faults.outcomes(), clock.now() - clock.slept_s


@varied
def check_client_times_out(make_client, *, seed: int) -> None:
    """Against a hung service, the client gives up after its read timeout on each attempt,
    and against an unreachable one after its connect timeout, ``max_attempts`` times."""
    rng = random.Random(seed)
    for fault, outcome, timeout, state in (("timeout", "timeout", "read", "hung"),
                                           ("unreachable", "unreachable", "connect",
                                            "unreachable")):
        settings = ClientSettings(round(rng.uniform(0.05, 3.0), 2),
                                  round(rng.uniform(0.05, 3.0), 2), rng.randint(1, 6))
        outcomes, attempts_s = _attempts_against(_make(make_client, settings)[0], fault, state)
        each_s = getattr(settings, f"{timeout}_timeout_s")
        expect(outcomes == [outcome] * settings.max_attempts,
               f"{settings}: against a service that is {state}, the client should make "
               f"{settings.max_attempts} attempt(s) in all, each ending with a {outcome}; it "
               f"made {len(outcomes)}: {outcomes}.")
        expect(math.isclose(attempts_s, settings.max_attempts * each_s, abs_tol=1e-9),
               f"{settings}: against a service that is {state}, each attempt should give up "
               f"after the {timeout} timeout, {each_s} s ({settings.max_attempts * each_s:.3g} "
               f"s in all); the attempts took {attempts_s:.3g} s.")


# -- a deadline ----------------------------------------------------------------------------

RETRYABLE = (ReadTimeoutError, ConnectTimeoutError, EndpointConnectionError,
             ConnectionClosedError)
WHAT_IT_IS = {"ReadTimeoutError": "a timeout (no answer within the read timeout)",
              "ConnectTimeoutError": "a timeout (no connection within the connect timeout)",
              "EndpointConnectionError": "a dropped connection (it could not connect)",
              "ConnectionClosedError": "a dropped connection (closed before the answer came)"}
EPSILON_S = 1e-7  # a decision this close to the deadline may go either way (float rounding)
BASE_S = 0.05  # backoff the visible checks ask for
CAP_S = 1.0
CALLS_PER_RUN = 150  # calls in the long run (each a few round trips to the learner)
SHOWN_MESSAGE_CHARS = 120  # of an unexpected error's message, in feedback


@dataclass(frozen=True)
class Deadline:
    """The arguments of one ``call_with_deadline`` call, but the operation."""

    deadline_s: float
    attempt_s: float
    base_s: float = BASE_S
    cap_s: float = CAP_S
    seed: int = 0  # of its rng

    def __str__(self) -> str:
        return (f"deadline_s={self.deadline_s:.6g}, attempt_timeout_s={self.attempt_s:.6g}, "
                f"base={self.base_s:.6g}, cap={self.cap_s:.6g}, rng=random.Random({self.seed})")

    def ceiling(self, retry: int) -> float:
        """The most the wait before retry number ``retry`` (from 0) may be."""
        return min(self.cap_s, self.base_s * 2**retry)

    def waits(self, count: int) -> list[float]:
        """The first ``count`` waits the instructions' formula draws from the rng."""
        rng = random.Random(self.seed)
        return [rng.uniform(0, self.ceiling(retry)) for retry in range(count)]


@dataclass(frozen=True)
class Attempt:
    """What one call of a scripted operation does: take ``seconds`` of the clock, then raise
    ``error`` or return ``result``."""

    seconds: float
    error: Exception | None = None
    result: object = None

    @property
    def retryable(self) -> bool:
        """Did it fail with a timeout or a dropped connection?"""
        return isinstance(self.error, RETRYABLE)

    def __str__(self) -> str:
        ending = (_error_name(self.error) if self.error is not None
                  else f"returns {self.result!r}")
        return f"{ending} after {self.seconds:.4g} s"


@dataclass(frozen=True)
class Event:
    """One thing a call did: an attempt (``attempt`` says what it did) or a wait."""

    start_s: float  # from the start of the call
    seconds: float
    attempt: Attempt | None = None  # None for a wait

    @property
    def end_s(self) -> float:
        return self.start_s + self.seconds


@dataclass(frozen=True)
class Returned:
    """The ending of a call that returned ``value``."""

    value: object


@dataclass
class Call:
    """One ``call_with_deadline`` call as a check sees it: its arguments, the clock it runs
    on, what it did in order, and how it ended (``Returned`` or the exception it raised)."""

    deadline: Deadline
    clock: SimClock
    started_s: float
    events: list[Event] = field(default_factory=list)
    ending: object = None
    ended_s: float = 0.0  # from the start of the call

    def now(self) -> float:
        """Seconds since the call started."""
        return self.clock.now() - self.started_s

    @property
    def attempts(self) -> list[Attempt]:
        return [event.attempt for event in self.events if event.attempt is not None]

    @property
    def waits(self) -> list[float]:
        return [event.seconds for event in self.events if event.attempt is None]


class Operation:
    """The ``operation`` a check hands ``call_with_deadline``: each call plays the next
    attempt (``next_attempt(n)`` for the n-th, from 0) on the call's clock, and is recorded.
    A call that keeps calling is stopped (``TooManyCalls``), with what it did wrong first."""

    def __init__(self, call: Call, next_attempt: Callable[[int], Attempt]):
        self._call, self._next_attempt = call, next_attempt

    def __call__(self):
        made = len(self._call.attempts)
        if made >= RUNAWAY_CALLS:
            first = judge_call(self._call, ended=False) or ""
            raise TooManyCalls(
                f"{first} Yours kept calling the operation, {RUNAWAY_CALLS} times in one call: "
                "its retries have no bound. Is the deadline measured on the clock you are "
                "given (clock()), from when the call started?".strip())
        attempt = self._next_attempt(made)
        self._call.events.append(Event(self._call.now(), attempt.seconds, attempt))
        self._call.clock.advance(attempt.seconds)
        if attempt.error is not None:
            raise copy.copy(attempt.error)
        return attempt.result


class Sleep:
    """The ``sleep`` a check hands ``call_with_deadline``: waits on the call's clock, and
    records the wait (a zero wait is no wait, and is not recorded)."""

    def __init__(self, call: Call):
        self._call = call

    def __call__(self, seconds: float) -> None:
        seconds = float(seconds)
        if seconds < 0:
            raise ValueError(f"cannot sleep for a negative time ({seconds} s)")
        if seconds > 0:
            self._call.events.append(Event(self._call.now(), seconds))
            self._call.clock.advance(seconds)


def run_call(call_with_deadline, deadline: Deadline, clock: SimClock,
             next_attempt: Callable[[int], Attempt]) -> Call:
    """Run one ``call_with_deadline`` call on ``clock``, recording what it does. A blank
    answer's NotImplementedError is not judged but reported as it is."""
    call = Call(deadline, clock, clock.now())
    try:
        call.ending = Returned(call_with_deadline(
            Operation(call, next_attempt), deadline_s=deadline.deadline_s,
            attempt_timeout_s=deadline.attempt_s, clock=clock, sleep=Sleep(call),
            rng=random.Random(deadline.seed), base=deadline.base_s, cap=deadline.cap_s))
    except NotImplementedError:
        raise
    except Exception as error:  # noqa: BLE001 - what it raised is what the check judges
        call.ending = error
    call.ended_s = call.now()
    return call


def _error_name(error: object) -> str:
    """An error in words: its type, and a ClientError's code."""
    if isinstance(error, ClientError):
        return f"ClientError {error.response.get('Error', {}).get('Code')}"
    return type(error).__name__


def _ending_words(ending: object) -> str:
    """A call's ending in words: what it returned, or raised (with the message of an error
    the check did not expect)."""
    if isinstance(ending, Returned):
        return f"returned {ending.value!r}"
    message = "" if isinstance(ending, RETRYABLE + (ClientError, TimeoutError)) else str(ending)
    return f"raised {_error_name(ending)}" + (f" ({message[:SHOWN_MESSAGE_CHARS]})"
                                               if message else "")


def _same_error(got: object, expected: Exception) -> bool:
    """The same error, as far as a caller can tell: its type, and a ClientError's code."""
    return type(got).__name__ == type(expected).__name__ and \
        _error_name(got) == _error_name(expected)


def _fit_advice(attempt_s: float) -> str:
    return (f"Before each attempt (and before each wait), check that the {attempt_s:.4g} s an "
            "attempt may take still fits in what is left of the deadline, measured on clock() "
            "from when call_with_deadline started; if it does not, raise TimeoutError now. "
            "The caller has its own timeout: work finished after it has given up is wasted.")


def _non_retryable_message(error: Exception, what: str) -> str:
    return (f"The operation raised {_error_name(error)}, which is not a timeout nor a dropped "
            "connection: call_with_deadline should raise that error unchanged, at once, with "
            f"no wait and no retry; yours {what}.")


def _judge_event(call: Call, index: int) -> str | None:
    """What is wrong with the ``index``-th thing the call did, given what came before it
    (None if nothing is)."""
    event, deadline = call.events[index], call.deadline
    earlier = [e.attempt for e in call.events[:index] if e.attempt is not None]
    last = earlier[-1] if earlier else None
    doing = "wait" if event.attempt is None else "call it again"
    if last is not None and last.error is None:
        return (f"The operation returned {last.result!r}, but call_with_deadline went on to "
                f"{doing}: return its result at once.")
    if last is not None and not last.retryable:
        assert last.error is not None
        return _non_retryable_message(last.error, f"went on to {doing}")
    d_s, a_s = deadline.deadline_s, deadline.attempt_s
    if event.attempt is None and event.end_s + a_s > d_s + EPSILON_S:
        return (f"Yours waited {event.seconds:.4g} s at {event.start_s:.4g} s into the call, "
                f"but an attempt after that wait could end at {event.end_s + a_s:.4g} s, past "
                f"the {d_s:.4g} s deadline: a wait that no attempt can follow only delays the "
                f"TimeoutError. {_fit_advice(a_s)}")
    if event.attempt is not None and event.start_s + a_s > d_s + EPSILON_S:
        lost = (" It started after the deadline had passed: does yours read the time with "
                "clock(), from when the call started?" if event.start_s > d_s else "")
        return (f"Yours started attempt {len(earlier) + 1} at {event.start_s:.4g} s into the "
                f"call; an attempt may take {a_s:.4g} s, so it could end at "
                f"{event.start_s + a_s:.4g} s, past the {d_s:.4g} s deadline.{lost} "
                f"{_fit_advice(a_s)}")
    return None


def _room_left(call: Call) -> tuple[bool, float]:
    """Whether the deadline had room for another attempt when the call ended, and the wait
    that attempt needed first (none if the call had just waited, or made no attempt)."""
    attempts, deadline = call.attempts, call.deadline
    just_waited = bool(call.events) and call.events[-1].attempt is None
    wait_s = 0.0 if just_waited or not attempts else deadline.waits(len(attempts))[-1]
    return call.ended_s + wait_s + deadline.attempt_s <= deadline.deadline_s - EPSILON_S, wait_s


def _judge_ending(call: Call) -> str | None:
    """What is wrong with how the call ended, given the attempts it made (None if nothing
    is)."""
    attempts, ending = call.attempts, call.ending
    last = attempts[-1] if attempts else None
    if last is not None and last.error is None:
        if isinstance(ending, Returned) and type(ending.value) is type(last.result) \
                and ending.value == last.result:
            return None
        return (f"The operation returned {last.result!r}, but call_with_deadline "
                f"{_ending_words(ending)}: return exactly what operation() returned, whatever "
                "it is (None, 0 and an empty dict included).")
    if last is not None and not last.retryable:
        assert last.error is not None
        return None if _same_error(ending, last.error) else _non_retryable_message(
            last.error, _ending_words(ending))
    room, wait_s = _room_left(call)
    d_s, a_s = call.deadline.deadline_s, call.deadline.attempt_s
    after = (f"after {len(attempts)} attempt(s), the last one ending in "
             f"{type(last.error).__name__},"
             if last is not None else "without calling the operation,")
    if room:
        wait = (f"the next wait (rng.uniform(0, min(cap, base * 2**{len(attempts) - 1})) = "
                f"{wait_s:.4g} s) and " if wait_s else "")
        kind = (f" {type(last.error).__name__} is {WHAT_IT_IS[type(last.error).__name__]}: "
                "one of the four errors to try again (ReadTimeoutError, ConnectTimeoutError, "
                "EndpointConnectionError, ConnectionClosedError)." if last is not None else "")
        return (f"Yours {_ending_words(ending)} {after} at {call.ended_s:.4g} s into the call, "
                f"but the deadline still had room: {wait}a {a_s:.4g} s attempt end by "
                f"{call.ended_s + wait_s + a_s:.4g} s, within the {d_s:.4g} s deadline.{kind} "
                "Try again while the deadline leaves room, measuring it on clock() from when "
                "call_with_deadline started.")
    if isinstance(ending, TimeoutError):
        if last is None or last.error is None or _same_error(ending.__cause__, last.error):
            return None
        cause = ending.__cause__
        had = "no cause" if cause is None else f"{type(cause).__name__} as its cause"
        return (f"Yours raised TimeoutError {after} with {had}: raise it `from` the last "
                f"error ({type(last.error).__name__}), so that the traceback shows why the "
                "time ran out (a hung service, or one that could not be reached).")
    return ("When the deadline leaves no room for another attempt, raise TimeoutError (with "
            "`from` the last error), so the caller can tell 'out of time' from one failed "
            f"attempt; yours {_ending_words(ending)} {after} at {call.ended_s:.4g} s of a "
            f"{d_s:.4g} s deadline.")


def judge_call(call: Call, *, ended: bool = True) -> str | None:
    """The first thing the call did that the instructions forbid, in words (None if it did
    none): each attempt and each wait must fit in the deadline; a result is returned, and
    any other error raised, at once; a timeout or a dropped connection is tried again while
    the deadline leaves room, and then TimeoutError is raised. A call that has not ``ended``
    is judged on what it did so far."""
    for index in range(len(call.events)):
        problem = _judge_event(call, index)
        if problem:
            return problem
    return _judge_ending(call) if ended else None


def judge_waits(call: Call) -> str | None:
    """What is wrong with the call's waits (None if nothing is): one before each retry,
    through ``sleep``, each the formula's draw from the rng."""
    waits, attempts, deadline = call.waits, len(call.attempts), call.deadline
    if call.clock.slept_s:
        return (f"Yours waited {call.clock.slept_s:.4g} s through clock.sleep: wait through "
                "the sleep you are given (call_with_deadline's sleep argument), the one the "
                "caller chose.")
    if len(waits) != max(0, attempts - 1):
        hint = ("Did you call time.sleep? Wait through the sleep you are given, so tests and "
                "simulations run in simulated time." if not waits else
                "Wait once before every retry, and only then.")
        return (f"Yours made {attempts} attempt(s) and {len(waits)} wait(s) through sleep; "
                f"there should be one wait before each retry. {hint}")
    ceilings = [deadline.ceiling(retry) for retry in range(len(waits))]
    for retry, (got, want) in enumerate(zip(waits, deadline.waits(len(waits)), strict=True)):
        if math.isclose(got, want, rel_tol=RELATIVE_TOLERANCE):
            continue
        if all(math.isclose(w, c) for w, c in zip(waits, ceilings, strict=True)):
            hint = ("The waits are exactly the ceilings: there is no jitter. Draw each wait "
                    "from the rng you are given, so callers that timed out together do not "
                    "retry together.")
        elif got > ceilings[retry] + EPSILON_S:
            hint = f"It is above its ceiling, {ceilings[retry]:.6g} s."
        else:
            hint = ("Draw exactly one rng.uniform(0, ceiling) per retry from the rng given, "
                    "with retry = 0 before the first retry, and wait that long: when the "
                    "drawn wait leaves no room for another attempt, give up with "
                    "TimeoutError rather than shorten it.")
        return (f"Wait number {retry + 1} was {got:.6g} s; with {deadline}, it should be "
                f"rng.uniform(0, min(cap, base * 2**{retry})) = {want:.6g} s (draw number "
                f"{retry + 1} from that rng). {hint}")
    return None


AFTER_THE_END = Attempt(0.0, None, {"called": "again"})  # for a call that should have ended


@dataclass(frozen=True)
class Scenario:
    """A call's arguments, the clock's time when it starts, and its operation's script (the
    last attempt repeats for ever)."""

    deadline: Deadline
    start_s: float
    script: tuple[Attempt, ...]

    def __str__(self) -> str:
        steps = ", then ".join(str(attempt) for attempt in self.script)
        ever = " (the last one for ever)" if self.script[-1].retryable else ""
        return (f"call_with_deadline({self.deadline}) with the clock at {self.start_s:.6g} s; "
                f"the operation: {steps}{ever}")

    def run(self, call_with_deadline) -> Call:
        """One call of ``call_with_deadline`` in this scenario."""
        return run_call(call_with_deadline, self.deadline, SimClock(self.start_s), self.play)

    def play(self, n: int) -> Attempt:
        """The n-th attempt (from 0): past the script, a hang goes on hanging, and a call
        that should have ended gets a result of its own."""
        if n < len(self.script):
            return self.script[n]
        return self.script[-1] if self.script[-1].retryable else AFTER_THE_END


@dataclass(frozen=True)
class Step:
    """An attempt of a script before the attempt time is drawn: how it ends, and the share
    of the attempt time it takes (a read timeout takes it all; a refused connection none)."""

    share: float
    error: Exception | None = None
    result: object = None

    def attempt(self, attempt_s: float) -> Attempt:
        """The attempt, for attempts of ``attempt_s`` seconds."""
        if isinstance(self.error, ReadTimeoutError):
            return Attempt(attempt_s, self.error)
        if isinstance(self.error, EndpointConnectionError):
            return Attempt(0.0, self.error)
        return Attempt(self.share * attempt_s, self.error, self.result)


def other_errors():
    """Errors that are not for call_with_deadline to retry: throttling, server errors,
    permanent client errors, botocore's other errors, Python's own."""
    python = st.sampled_from([ValueError("bad reading"), KeyError("id"),
                              RuntimeError("dependency bug"), PermissionError("denied")])
    botocore = st.sampled_from([ParamValidationError(report="Missing required key 'Item'"),
                                NoCredentialsError()])
    return st.one_of(permanent_errors(), throttling_errors(), server_errors(), python,
                     botocore)


RESULTS: st.SearchStrategy[object] = st.one_of(st.sampled_from([None, 0, "", {}, [], False]),
                    st.builds(lambda n: {"Item": {"id": {"S": f"r-{n}"}}}, st.integers(0, 99)),
                    st.text(max_size=8), st.integers())
SHARES = st.floats(0.0, 1.0)


@functools.cache
def failures():
    """Attempts failing with a timeout or a dropped connection, each kind as it fails."""
    return st.builds(Step, SHARES, connection_errors())


@functools.cache
def hangs():
    """A hung service's attempt: a read timeout."""
    return st.just(Step(1.0, ReadTimeoutError(endpoint_url=ENDPOINT)))


@functools.cache
def successes():
    """Attempts that return a result, of any kind."""
    return st.builds(Step, SHARES, st.none(), RESULTS)


@functools.cache
def other_failures():
    """Attempts failing with an error that is not for call_with_deadline to retry."""
    return st.builds(Step, SHARES, other_errors())


@st.composite
def scenarios(draw, *, failed, most: int, then, roomy: bool, least: int = 0):
    """A scenario: ``least`` to ``most`` attempts drawn from ``failed``, then one from
    ``then`` (strategies of ``Step``); a deadline with room for all of them (``roomy``),
    or else anything from a fraction of an attempt to a dozen attempts."""
    attempt_s = draw(st.floats(0.05, 3.0))
    base_s, cap_s = draw(st.floats(0.001, 0.5)), draw(st.floats(0.01, 4.0))
    steps = [*draw(st.lists(failed, min_size=least, max_size=most)), draw(then)]
    script = tuple(step.attempt(attempt_s) for step in steps)
    if roomy:
        ceilings_s = sum(min(cap_s, base_s * 2**retry) for retry in range(len(script) - 1))
        deadline_s = (len(script) * attempt_s + ceilings_s) * draw(st.floats(1.01, 3.0))
    else:
        deadline_s = attempt_s * draw(st.floats(0.2, 12.0))
    deadline = Deadline(deadline_s, attempt_s, base_s, cap_s, draw(st.integers(0, 2**32 - 1)))
    return Scenario(deadline, draw(st.floats(0.0, 10_000.0)), script)


def _check_scenarios(call_with_deadline, strategy, seed: int, judge=judge_call,
                     always: tuple[Scenario, ...] = ()) -> None:
    """``judge`` finds nothing wrong with the call in the ``always`` scenarios, nor in any
    generated one."""
    def prove(scenario: Scenario) -> None:
        problem = judge(scenario.run(call_with_deadline))
        expect(problem is None, problem or "")

    for_all(strategy, prove, seed=seed, show=str, always=always)


def check_deadline_retries_timeouts(call_with_deadline) -> None:
    """A call returns its result; a call that times out is tried again, after a wait."""
    fast = Scenario(Deadline(2.0, 0.5), 0.0, (Attempt(0.01, None, {"stored": "fast"}),)).run(
        call_with_deadline)
    expect(judge_call(fast) is None, judge_call(fast) or "")
    expect(not fast.waits and not fast.clock.slept_s,
           "A call that succeeds at once must not wait at all.")
    timeout = ReadTimeoutError(endpoint_url=ENDPOINT)
    slow = Scenario(Deadline(2.0, 0.5), 0.0, (Attempt(0.5, timeout), Attempt(0.5, timeout),
                                              Attempt(0.02, None, {"stored": "slow"}))).run(
        call_with_deadline)
    problem = judge_call(slow) or judge_waits(slow)
    expect(problem is None, "The first two attempts time out and the third succeeds, with "
                            f"room for all three in a 2 s deadline. {problem}")


@varied
def check_deadline_retries_every_timeout(call_with_deadline, *, seed: int) -> None:
    """Every kind of timeout and dropped connection is tried again, and the result that
    finally comes is returned, whatever it is."""
    _check_scenarios(call_with_deadline, scenarios(failed=failures(), most=6, then=successes(),
                                                   roomy=True), seed)


@varied
def check_deadline_never_outlived(call_with_deadline, *, seed: int) -> None:
    """Against a service that times out or drops connections, then hangs or answers, the
    call gives up with TimeoutError, never past its deadline, and never sooner than it must."""
    _check_scenarios(call_with_deadline, scenarios(
        failed=failures(), most=8, then=st.one_of(hangs(), successes()), roomy=False), seed)


@varied
def check_deadline_non_retryable(call_with_deadline, *, seed: int) -> None:
    """An error that no retry can fix is raised at once, unchanged, with no wait, even after
    timeouts that were tried again."""
    hung = Attempt(1.0, ReadTimeoutError(endpoint_url=ENDPOINT))
    python_error = Scenario(Deadline(10.0, 1.0), 0.0, (hung, Attempt(0.0, PermissionError(
        "denied"))))  # an OSError, as botocore's timeouts are, that is neither of them
    _check_scenarios(call_with_deadline, scenarios(failed=hangs(), most=4,
                                                   then=other_failures(), roomy=True), seed,
                     always=(python_error,))


@varied
def check_deadline_jitter(call_with_deadline, *, seed: int) -> None:
    """The waits between attempts are full-jitter draws from the rng, through sleep."""
    hung = Attempt(1.0, ReadTimeoutError(endpoint_url=ENDPOINT))
    no_room = Scenario(Deadline(2.3, 1.0, 0.5, 1.0, 0), 0.0, (hung, Attempt(
        0.0, None, {"stored": "late"})))  # the first draw, 0.42 s, leaves no room: give up
    _check_scenarios(call_with_deadline, scenarios(failed=hangs(), least=1, most=10,
                                                   then=successes(), roomy=True),
                     seed, judge=judge_waits, always=(no_room,))


@dataclass(frozen=True)
class FlakyDependency:
    """A dependency with a slow tail and dropped connections: each attempt's outcome is
    drawn from the rng it is given, so two callers that make the same attempts see the same
    outcomes."""

    attempt_s: float
    tail_share: float  # attempts stuck far past any timeout
    drop_share: float  # attempts whose connection drops
    latency: Dependency

    def attempt(self, rng: random.Random, reading: str) -> Attempt:
        """The next attempt to store ``reading``: stored, dropped, or timed out."""
        if rng.random() < self.drop_share:
            if rng.random() < 0.5:
                return Attempt(0.0, EndpointConnectionError(endpoint_url=ENDPOINT))
            return Attempt(rng.uniform(0, self.attempt_s),
                           ConnectionClosedError(endpoint_url=ENDPOINT))
        latency_s = math.inf if rng.random() < self.tail_share else self.latency.latency(rng)
        if latency_s >= self.attempt_s:
            return Attempt(self.attempt_s, ReadTimeoutError(endpoint_url=ENDPOINT))
        return Attempt(latency_s, None, {"stored": reading})


def _next_attempt(dependency: FlakyDependency, rng: random.Random, reading: str,
                  _: int) -> Attempt:
    """The next attempt to store ``reading`` (whichever attempt of its call it is)."""
    return dependency.attempt(rng, reading)


def _long_run(call_with_deadline, dependency: FlakyDependency, deadline: Deadline,
              seed: int) -> list[Call]:
    """``CALLS_PER_RUN`` calls, one after the other on one clock, against ``dependency``;
    call number n with its rng seeded ``seed + n``."""
    clock, rng, calls = SimClock(1000.0), random.Random(seed), []
    for n in range(CALLS_PER_RUN):
        call_deadline = Deadline(deadline.deadline_s, deadline.attempt_s, deadline.base_s,
                                 deadline.cap_s, seed + n)
        attempts = functools.partial(_next_attempt, dependency, rng, f"r-{n}")
        calls.append(run_call(call_with_deadline, call_deadline, clock, attempts))
    return calls


def _same_outcome(call: Call, expected: Call) -> bool:
    """The same ending, attempts and waits."""
    if isinstance(expected.ending, Returned):
        same_ending = isinstance(call.ending, Returned) and call.ending.value == \
            expected.ending.value
    else:
        same_ending = isinstance(call.ending, TimeoutError)
    return same_ending and len(call.attempts) == len(expected.attempts) and \
        len(call.waits) == len(expected.waits) and all(
            math.isclose(a, b, rel_tol=RELATIVE_TOLERANCE)
            for a, b in zip(call.waits, expected.waits, strict=True))


@varied
def check_deadline_useful_work(call_with_deadline, *, seed: int, reference) -> None:
    """Over a long run against a dependency with a slow tail and dropped connections, every
    call does what the reference does: nearly every call succeeds within its deadline."""
    rng = random.Random(seed)
    attempt_s = rng.uniform(0.2, 1.0)
    dependency = FlakyDependency(attempt_s, rng.uniform(0.01, 0.1), rng.uniform(0.0, 0.05),
                                 Dependency(median_s=attempt_s / 8,
                                            sigma=rng.uniform(0.3, 0.8)))
    deadline = Deadline(attempt_s * rng.uniform(2.2, 5.0), attempt_s, rng.uniform(0.01, 0.2),
                        rng.uniform(0.2, 2.0))
    calls = _long_run(call_with_deadline, dependency, deadline, seed)
    expected = _long_run(reference.call_with_deadline, dependency, deadline, seed)
    stored = sum(isinstance(call.ending, Returned) for call in calls)
    should = sum(isinstance(call.ending, Returned) for call in expected)
    for n, (call, wanted) in enumerate(zip(calls, expected, strict=True)):
        if not _same_outcome(call, wanted):
            problem = judge_call(call) or judge_waits(call) or (
                f"it {_ending_words(call.ending)} after {len(call.attempts)} attempt(s) and "
                f"{len(call.waits)} wait(s); the instructions' rules give: "
                f"{_ending_words(wanted.ending)} after {len(wanted.attempts)} attempt(s) and "
                f"{len(wanted.waits)} wait(s).")
            raise AssertionError(
                f"Over {CALLS_PER_RUN} calls in a row against a dependency with a slow tail "
                f"and dropped connections ({call.deadline}), yours stored {stored} readings, "
                f"where the instructions' rules store {should}. Call {n + 1} went wrong first, "
                f"at {call.started_s:.6g} s on the clock: {problem}")

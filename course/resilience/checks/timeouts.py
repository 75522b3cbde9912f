"""Checks for lab 01: a timeout chosen from latencies, a configured client, a deadline.

The moto-backed checks give the learner's code a DynamoDB table whose fault layer makes
calls slow, in simulated time: an attempt slower than the client's read timeout raises
botocore's own ``ReadTimeoutError`` once that timeout has passed on the clock.
"""

from __future__ import annotations

import math
import random
from contextlib import contextmanager

from botocore.client import BaseClient
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError, ReadTimeoutError

from resilience.checks import RUNAWAY_CALLS, expect, expect_sleeps, stop_runaway
from resilience.clock import Clock, SimClock
from resilience.models.stats import percentile
from resilience.models.timeouts import Dependency

TABLE = "readings"
SLOW_S = 10.0  # latency of a call stuck in the tail: far past any sane timeout
BASE_S = 0.05  # backoff the deadline checks ask for
CAP_S = 1.0
EPSILON_S = 1e-9  # float slack when comparing simulated times


# -- choosing a timeout --------------------------------------------------------------------


def _accepted_range(sample: list[float], fraction: float) -> tuple[float, float]:
    """The values a correct percentile may take: nearest rank, or an interpolation between
    its neighbours (as ``statistics`` or numpy would give)."""
    ordered = sorted(sample)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[max(0, rank - 2)], ordered[min(len(ordered) - 1, rank)]


def check_pick_timeout_percentile(pick_timeout) -> None:
    """The timeout is the latency percentile matching the false-timeout rate."""
    sample = Dependency().sample(20_000, random.Random(1))
    for rate, name in ((0.001, "p99.9"), (0.01, "p99"), (0.0001, "p99.99")):
        got = pick_timeout(list(sample), rate)
        low, high = _accepted_range(sample, 1 - rate)
        share = sum(s > got for s in sample) / len(sample) if isinstance(got, float | int) else 1
        expect(isinstance(got, float | int) and low <= got <= high,
               f"For a false-timeout rate of {rate}, pick_timeout should return the {name} of "
               f"the sample, about {percentile(sample, 1 - rate):.4f} s; it returned {got!r}, "
               f"which would time out {share:.3%} of calls that were going to succeed. "
               + ("Use the percentile at 1 - rate, not at rate." if isinstance(got, float | int)
                  and got < percentile(sample, 0.5) else
                  "The slowest call is an outlier: a timeout at the maximum waits far longer "
                  "than the rate you accepted asks for." if got == max(sample) else ""))


def check_pick_timeout_headroom(pick_timeout) -> None:
    """When the tail sits close to the median, the timeout keeps headroom above it."""
    rng = random.Random(2)
    tight = [0.1 + rng.uniform(-0.005, 0.005) for _ in range(5000)]  # p99.9 within 5 %
    median = percentile(tight, 0.5)
    got = pick_timeout(tight, 0.001, 2.0)
    expect(isinstance(got, float | int) and abs(got - 2.0 * median) < 0.001,
           f"Every latency in this sample is within 5% of {median:.3f} s, so its p99.9 is "
           f"barely above the median; with headroom=2.0, pick_timeout should return 2 x "
           f"median = {2 * median:.4f} s, and it returned {got!r}. A timeout this close to "
           "normal latency turns a small slowdown into a wave of timeouts and retries.")
    heavy = Dependency().sample(5000, random.Random(3))
    got = pick_timeout(heavy, 0.001, 2.0)
    low, high = _accepted_range(heavy, 0.999)
    expect(isinstance(got, float | int) and low <= got <= high,
           "When the p99.9 is already well above 2 x the median, the headroom changes "
           f"nothing: expected about {percentile(heavy, 0.999):.4f} s, got {got!r}.")


# -- a configured client -------------------------------------------------------------------


class Session:
    """What the checks hand ``make_client``: a boto3 session in the sandbox, offering
    ``client(service_name, region_name=None, config=None)`` and nothing else."""

    def __init__(self) -> None:
        import boto3

        from resilience.aws.facts import REGION

        self._session = boto3.session.Session(region_name=REGION)
        self.made: list[BaseClient] = []

    def client(self, service_name: str, region_name: str | None = None,
               config: Config | None = None) -> BaseClient:
        """A client for ``service_name``, as ``boto3.session.Session.client`` makes it."""
        client = self._session.client(service_name, region_name=region_name, config=config)
        self.made.append(client)
        return client


def _make(make_client, connect_timeout_s, read_timeout_s, max_attempts):
    session = Session()
    client = make_client(session, connect_timeout_s=connect_timeout_s,
                         read_timeout_s=read_timeout_s, max_attempts=max_attempts)
    expect(isinstance(client, BaseClient) and any(client is c for c in session.made),
           "make_client should return the client it made with session.client(...): got "
           f"{type(client).__name__}. Build clients from the session you are given, so one "
           "place decides every client's configuration.")
    service = client.meta.service_model.service_name
    expect(service == "dynamodb", f"make_client should make a DynamoDB client, not {service}.")
    return client


def _total_attempts(retries: dict) -> int | None:
    if "total_max_attempts" in retries:
        return retries["total_max_attempts"]
    return retries["max_attempts"] + 1 if "max_attempts" in retries else None


def check_client_configuration(make_client) -> None:
    """The client's real configuration has the timeouts and retry settings asked for."""
    from resilience.sandbox import aws_sandbox

    with aws_sandbox(tables=[TABLE]):
        for connect_s, read_s, attempts in ((0.5, 1.5, 3), (2.0, 0.25, 1), (1.0, 4.0, 5)):
            config = _make(make_client, connect_s, read_s, attempts).meta.config
            expect(config.connect_timeout == connect_s and config.read_timeout == read_s,
                   f"Asked for connect/read timeouts of {connect_s} s / {read_s} s, the client "
                   f"has {config.connect_timeout} s / {config.read_timeout} s. botocore's "
                   "defaults are 60 s each: left alone, one stuck call holds a worker for "
                   "minutes. Set both in the client's Config.")
            retries = config.retries or {}
            expect(retries.get("mode") == "standard",
                   f"The client's retry mode is {retries.get('mode')!r}; ask for 'standard' "
                   "explicitly. The default mode differs between SDK versions (and changes in "
                   "late 2026), so state the one you rely on.")
            total = _total_attempts(retries)
            expect(total == attempts,
                   f"Asked for {attempts} attempt(s) in all, the client will make {total}. "
                   + ("In botocore's Config, retries={'max_attempts': N} means N retries "
                      "AFTER the first call; use 'total_max_attempts' to count them all."
                      if total == attempts + 1 else "Set it in the retries settings."))


def check_client_times_out(make_client) -> None:
    """Against a hung service, the client gives up after its read timeout on each attempt."""
    from resilience.faults import FaultInjector
    from resilience.sandbox import aws_sandbox, route_retry_sleeps

    clock = SimClock()
    with aws_sandbox(tables=[TABLE]):
        dynamodb = _make(make_client, 0.5, 1.5, 3)
        route_retry_sleeps(dynamodb, clock)
        faults = FaultInjector(dynamodb, clock=clock)
        faults.timeout("GetItem")
        try:
            dynamodb.get_item(TableName=TABLE, Key={"id": {"S": "r-1"}})
        except ReadTimeoutError:
            pass
        else:
            raise AssertionError("A call to a hung service returned normally.")
    attempts = faults.outcomes("GetItem")
    expect(attempts == ["timeout"] * 3,
           f"With 3 attempts against a hung service, the client should time out 3 times; "
           f"it made {len(attempts)} attempt(s): {attempts}.")
    waited_s = clock.now() - clock.slept_s
    expect(abs(waited_s - 3 * 1.5) < EPSILON_S,
           f"Each attempt should wait its 1.5 s read timeout (4.5 s in all); the calls took "
           f"{waited_s:.2f} s.")


# -- a deadline ----------------------------------------------------------------------------


@contextmanager
def slow_table(read_timeout_s: float, max_calls: int = RUNAWAY_CALLS):
    """A moto DynamoDB client (SDK retries off, this read timeout) and its fault layer."""
    from resilience.faults import FaultInjector
    from resilience.sandbox import aws_sandbox

    clock = SimClock()
    with aws_sandbox(tables=[TABLE], clock=clock) as aws:
        dynamodb = aws.client("dynamodb", total_max_attempts=1, read_timeout_s=read_timeout_s)
        stop_runaway(dynamodb, "DynamoDB", max_calls)
        yield dynamodb, FaultInjector(dynamodb, clock=clock), clock


def _put(dynamodb: BaseClient, reading_id: str):
    return lambda: dynamodb.put_item(TableName=TABLE, Item={"id": {"S": reading_id}})


def _timed_call(call_with_deadline, operation, clock: Clock, *, deadline_s, attempt_s, seed):
    """Run one deadline-bounded call: (result or exception, seconds it took)."""
    started_s = clock.now()
    try:
        outcome = call_with_deadline(operation, deadline_s=deadline_s,
                                     attempt_timeout_s=attempt_s, clock=clock, sleep=clock.sleep,
                                     rng=random.Random(seed), base=BASE_S, cap=CAP_S)
    except (ClientError, BotoCoreError, TimeoutError) as error:
        outcome = error
    return outcome, clock.now() - started_s


def _expect_within(elapsed_s: float, deadline_s: float, attempt_s: float) -> None:
    expect(elapsed_s <= deadline_s + EPSILON_S,
           f"A call with a {deadline_s} s deadline took {elapsed_s:.3f} s. Before each attempt "
           f"(and before each wait), check that the {attempt_s} s an attempt may take still "
           "fits in what is left of the deadline; if it does not, give up now. The caller "
           "has its own timeout: work finished after it has given up is wasted.")


def check_deadline_retries_timeouts(call_with_deadline) -> None:
    """A call returns its result; a call that times out is tried again, after a wait."""
    with slow_table(read_timeout_s=0.5) as (dynamodb, faults, clock):
        result, _ = _timed_call(call_with_deadline, _put(dynamodb, "fast"), clock,
                                deadline_s=2.0, attempt_s=0.5, seed=1)
        expect(isinstance(result, dict) and "ResponseMetadata" in result,
               f"call_with_deadline should return what the operation returned; got {result!r}.")
        expect(not clock.sleeps, "A call that succeeds at once must not wait at all.")
        faults.latency(SLOW_S, "PutItem", first=2)
        result, elapsed_s = _timed_call(call_with_deadline, _put(dynamodb, "slow"), clock,
                                        deadline_s=2.0, attempt_s=0.5, seed=2)
        expect(isinstance(result, dict),
               f"The first two attempts timed out and the third would have succeeded in time, "
               f"but call_with_deadline gave {type(result).__name__}: {result}. A timeout "
               "is worth another try while the deadline leaves room for one.")
        expect(faults.outcomes("PutItem")[1:] == ["timeout", "timeout", "ok"],
               f"Expected two timed-out attempts and a successful one; the table saw "
               f"{faults.outcomes('PutItem')[1:]}.")
        expect_sleeps(clock, 2, "After two timed-out attempts,")
        _expect_within(elapsed_s, 2.0, 0.5)


def check_deadline_never_outlived(call_with_deadline) -> None:
    """Against a hung service, the call gives up with TimeoutError, inside its deadline."""
    for deadline_s, attempt_s, most_attempts in ((2.0, 0.5, 4), (1.2, 0.5, 2), (0.4, 0.5, 0)):
        with slow_table(read_timeout_s=attempt_s) as (dynamodb, faults, clock):
            faults.timeout("PutItem")
            outcome, elapsed_s = _timed_call(call_with_deadline, _put(dynamodb, "hung"), clock,
                                             deadline_s=deadline_s, attempt_s=attempt_s, seed=3)
            attempts = len(faults.outcomes("PutItem"))
            expect(isinstance(outcome, TimeoutError),
                   f"When the deadline runs out, raise TimeoutError (with `from` the last "
                   f"error), so the caller can tell 'out of time' from one failed attempt; "
                   f"with a {deadline_s} s deadline against a hung service, got "
                   f"{type(outcome).__name__}: {outcome}")
            _expect_within(elapsed_s, deadline_s, attempt_s)
            expect(attempts <= most_attempts,
                   f"With a {deadline_s} s deadline and {attempt_s} s attempts, at most "
                   f"{most_attempts} attempt(s) fit; yours made {attempts}.")
            expect(most_attempts == 0 or attempts >= 2,
                   f"With a {deadline_s} s deadline and {attempt_s} s attempts there is room "
                   f"to try again after a timeout, but yours made {attempts} attempt(s).")


def check_deadline_non_retryable(call_with_deadline) -> None:
    """An error that no retry can fix is raised at once, with no wait."""
    with slow_table(read_timeout_s=0.5) as (dynamodb, faults, clock):
        bad_write = lambda: dynamodb.put_item(TableName=TABLE, Item={"nope": {"S": "x"}})  # noqa: E731
        outcome, _ = _timed_call(call_with_deadline, bad_write, clock, deadline_s=2.0,
                                 attempt_s=0.5, seed=4)
        expect(isinstance(outcome, ClientError)
               and outcome.response["Error"]["Code"] == "ValidationException",
               f"A write DynamoDB rejects with ValidationException should raise that error "
               f"unchanged; got {type(outcome).__name__}: {outcome}")
        calls = len(faults.outcomes("PutItem"))
        expect(calls == 1 and not clock.sleeps,
               f"The write was sent {calls} time(s) and waited {len(clock.sleeps)} time(s). A "
               "ValidationException can never succeed on retry: raise it at once.")


def check_deadline_useful_work(call_with_deadline) -> None:
    """When only the tail is slow, nearly every call still succeeds within its deadline."""
    def tail_latency(rng: random.Random) -> float:
        return SLOW_S if rng.random() < 0.05 else Dependency(sigma=0.5).latency(rng)

    with slow_table(read_timeout_s=0.5, max_calls=5 * 200) as (dynamodb, faults, clock):
        faults.latency(tail_latency, "PutItem")
        succeeded, slowest_s = 0, 0.0
        for n in range(200):
            outcome, elapsed_s = _timed_call(call_with_deadline, _put(dynamodb, f"r-{n}"),
                                             clock, deadline_s=2.0, attempt_s=0.5, seed=n)
            succeeded += isinstance(outcome, dict)
            slowest_s = max(slowest_s, elapsed_s)
        _expect_within(slowest_s, 2.0, 0.5)
        expect(succeeded >= 198,
               f"5% of calls are stuck in a slow tail and the deadline leaves room for about "
               f"three attempts, so at least 198 of 200 calls should succeed; {succeeded} did. "
               "Retry timed-out attempts while the deadline allows: the tail is rarely slow "
               "twice in a row.")


def check_deadline_jitter(call_with_deadline) -> None:
    """The waits between attempts are full-jitter draws from the rng, through sleep."""
    waits = []
    with slow_table(read_timeout_s=0.2, max_calls=30 * 40) as (dynamodb, faults, clock):
        faults.timeout("PutItem")
        for seed in range(30):
            before = len(clock.sleeps)
            _, elapsed_s = _timed_call(call_with_deadline, _put(dynamodb, "hung"), clock,
                                       deadline_s=5.0, attempt_s=0.2, seed=seed)
            _expect_within(elapsed_s, 5.0, 0.2)
            for retry, wait in enumerate(clock.sleeps[before:]):
                ceiling = min(CAP_S, BASE_S * 2**retry)
                expect(0 <= wait <= ceiling,
                       f"Wait number {retry + 1} was {wait:.4f} s; it should be drawn from "
                       f"[0, min(cap, base * 2**{retry})] = [0, {ceiling}].")
            waits.append(tuple(clock.sleeps[before:]))
    expect(all(waits) and len({w[0] for w in waits}) > 15,
           "Across 30 seeds the first wait was always one of "
           f"{sorted({w[0] for w in waits if w})[:3]}: there is no jitter. Draw each wait "
           "from the rng you are given, so callers that timed out together do not retry "
           "together.")

"""Dependency isolation in simpy: two APIs share one service's workers, and the dependency of
one of them slows down.

A service has ``WORKERS`` workers. Each request holds a worker while it calls its API's
dependency, so a worker is busy for as long as the dependency takes. Two APIs arrive open
loop (Poisson, 100 requests a second each): ``checkout``, whose dependency answers in about
50 ms, and ``search``, whose dependency answers in 50 ms too, until ``SLOW_FROM_S``, when it
slows to about 1 s. Clients wait ``CLIENT_TIMEOUT_S`` and do not retry.

Little's law says what the slowdown does: search's requests in flight go from 100/s x 0.05 s
= 5 to 100/s x 1 s = 100, twenty times as many, and the pool has 20 workers. How the pool
is laid out (``LAYOUTS``) decides who pays:

- ``SHARED``: one first-in-first-out queue in front of every worker, no limit. Search's
  requests take every worker, the queue grows, and checkout's requests wait behind them
  until their clients give up: the healthy API's goodput collapses.
- ``ONE_LIMIT``: the pool refuses a request once it holds as many as it has workers. Nothing
  queues, but search's slow requests still hold every worker, and checkout is refused.
- ``BULKHEADS``: each API may hold at most its own limit, sized with Little's law (its rate x
  its normal latency x ``HEADROOM``, rounded up); past it, its requests are refused at once.
  Search sheds what its share cannot hold, and checkout never notices.

The admission policy is a pure function of two small views (``Call``, ``PoolView``), as in
``resilience.models.overload``, so a lab can plug its own in. ``simulate_pool`` runs any
policy; ``bulkhead_run`` runs a layout and is cached for the chapter's widget.

The same arithmetic sizes Lambda's concurrency: ``stream_concurrency`` is what a Kinesis
event source mapping runs at once (shards x ParallelizationFactor), and ``share_account``
what each function of an account gets when their demands add up past its concurrency,
with and without reserved concurrency (which guarantees a function its share and caps it
there).
"""

from __future__ import annotations

import math
import random
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple, cast

import simpy

from resilience.aws.facts import (
    KINESIS_MAPPING_DEFAULTS,
    LAMBDA_ACCOUNT_CONCURRENCY,
    LAMBDA_UNRESERVED_MINIMUM,
    MAX_PARALLELIZATION_FACTOR,
)
from resilience.clock import DEFAULT_SEED
from resilience.models.frozen import frozen_mapping
from resilience.models.overload import CLIENT_TIMEOUT_S, littles_law
from resilience.models.workers import IdleWorkers

CHECKOUT, SEARCH = "checkout", "search"
APIS = (CHECKOUT, SEARCH)
WORKERS = 20
RATES_PER_S = frozen_mapping({CHECKOUT: 100.0, SEARCH: 100.0})
NORMAL_LATENCY_S = 0.05  # each dependency's mean latency, normally
LATENCIES_S = frozen_mapping({CHECKOUT: NORMAL_LATENCY_S, SEARCH: NORMAL_LATENCY_S})
SLOW_LATENCY_S = 1.0  # search's dependency, once slow: 20 times as long
SLOW_FROM_S = 10.0
RUN_S = 40.0  # arrivals stop then; the run goes on one client timeout, to settle every request
HEADROOM = 2.0  # a bulkhead holds twice the requests its API has in flight on average
SHARED, ONE_LIMIT, BULKHEADS = "shared", "one limit", "bulkheads"
LAYOUTS = (SHARED, ONE_LIMIT, BULKHEADS)
LABELS = {SHARED: "one shared pool", ONE_LIMIT: "one limit for the pool",
          BULKHEADS: "a limit per API (bulkheads)"}
FLOAT_NOISE = 1e-9  # relative: a product this close to a whole number is that number


# -- what a policy sees ----------------------------------------------------------------------


class Call(NamedTuple):
    """One request arriving, as an admission policy sees it."""

    api: str  # which API it calls
    number: int  # its place among all requests, both APIs together (1 for the first)
    sent_s: float  # when it was sent: now, at admission
    deadline_s: float  # when its client stops waiting


class PoolView(NamedTuple):
    """The worker pool as the request arrives."""

    now_s: float
    workers: int
    held: dict[str, int]  # per API: its requests in the pool, in service and queued (a copy)
    queued: int  # requests of every API waiting for a worker


PoolAdmit = Callable[[Call, PoolView], bool]


def admit_every_call(call: Call, pool: PoolView) -> bool:
    """No limit: one shared pool, the default."""
    return True


def pool_limit(call: Call, pool: PoolView) -> bool:
    """One limit for the whole pool: refuse once it holds a request per worker."""
    return sum(pool.held.values()) < pool.workers


def within_limits(limits: Mapping[str, int]) -> PoolAdmit:
    """Bulkheads: admit a request while its API holds fewer than its own limit; an API
    without a limit gets no share of the pool."""

    def admit(call: Call, pool: PoolView) -> bool:
        return pool.held[call.api] < limits.get(call.api, 0)

    return admit


# -- sizing with Little's law ----------------------------------------------------------------


def little_limit(rate_per_s: float, latency_s: float, headroom: float = HEADROOM) -> int:
    """Workers an API needs: Little's law (its rate x its normal latency) times ``headroom``
    for bursts, rounded up to whole workers. A product within float noise of a whole number
    is that number (100/s x 0.05 s x 2 is 10, though floats make it 10.000000000000002)."""
    need = littles_law(rate_per_s, latency_s) * headroom
    return math.ceil(need * (1 - FLOAT_NOISE))


def api_limits(rates_per_s: Mapping[str, float], latencies_s: Mapping[str, float],
               workers: int, headroom: float = HEADROOM) -> dict[str, int]:
    """Each API's bulkhead, sized by ``little_limit``. They must fit in the pool together:
    limits that add up to more than ``workers`` let one API take what another was promised."""
    limits = {api: little_limit(rate, latencies_s[api], headroom)
              for api, rate in rates_per_s.items()}
    if sum(limits.values()) > workers:
        raise ValueError(f"limits {limits} add up to {sum(limits.values())}, more than the "
                         f"{workers} workers: a pool this small cannot isolate these APIs")
    return limits


# -- the model -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Slowdown:
    """One API's dependency slows to ``latency_s`` from ``from_s`` on."""

    api: str = SEARCH
    latency_s: float = SLOW_LATENCY_S
    from_s: float = SLOW_FROM_S


@dataclass(frozen=True)
class PoolRun:
    """What each API got, per second of the run (index: the second its requests were sent;
    frozen: a cached run is shared)."""

    duration_s: float
    workers: int
    slow_from_s: float
    sent: Mapping[str, tuple[int, ...]]
    refused: Mapping[str, tuple[int, ...]]  # turned away at once by the policy
    good: Mapping[str, tuple[int, ...]]  # answered before their client gave up
    late: Mapping[str, tuple[int, ...]]  # answered after: a worker's time spent for nobody
    busy: Mapping[str, tuple[float, ...]]  # workers it held, time-weighted mean of the second
    queued: tuple[float, ...]  # requests waiting for a worker, time-weighted mean

    def share(self, series: str, api: str, start_s: float = 0.0,
              end_s: float | None = None) -> float:
        """The share of ``api``'s requests sent in ``[start_s, end_s)`` that ended in
        ``series`` ("good", "refused", "late")."""
        window = slice(int(start_s), int(end_s if end_s is not None else self.duration_s))
        sent = sum(self.sent[api][window])
        return sum(getattr(self, series)[api][window]) / sent if sent else 0.0

    def goodput_share(self, api: str, start_s: float = 0.0, end_s: float | None = None
                      ) -> float:
        """The share of ``api``'s requests sent in ``[start_s, end_s)`` answered in time."""
        return self.share("good", api, start_s, end_s)

    def mean_busy(self, api: str, start_s: float, end_s: float | None = None) -> float:
        """Workers ``api`` held on average over ``[start_s, end_s)``."""
        window = self.busy[api][int(start_s):int(end_s if end_s is not None
                                                   else self.duration_s)]
        return sum(window) / len(window) if window else 0.0


class _Pool:
    """A run in progress: arrivals, the queue, the workers and what they record."""

    def __init__(self, admit: PoolAdmit, workers: int, rates_per_s: Mapping[str, float],
                 latencies_s: Mapping[str, float], slowdown: Slowdown | None,
                 timeout_s: float, duration_s: float, rng: random.Random):
        self.env = simpy.Environment()
        self.admit, self.workers, self.rng = admit, workers, rng
        self.rates_per_s, self.latencies_s = rates_per_s, latencies_s
        self.slowdown, self.timeout_s, self.duration_s = slowdown, timeout_s, duration_s
        seconds = math.ceil(duration_s)
        self.counts = {name: {api: [0] * seconds for api in rates_per_s}
                       for name in ("sent", "refused", "good", "late")}
        self.busy = {api: [0.0] * seconds for api in rates_per_s}
        self.queued = [0.0] * seconds
        self.held = dict.fromkeys(rates_per_s, 0)
        self.in_service = dict.fromkeys(rates_per_s, 0)
        self.queue: deque[Call] = deque()
        self.idle = IdleWorkers(self.env)
        self.number = 0
        self._areas = {api: 0.0 for api in rates_per_s}  # worker-seconds held so far
        self._queue_area = 0.0
        self._since = 0.0

    def latency_s(self, api: str) -> float:
        """The mean latency of ``api``'s dependency now."""
        slow = self.slowdown
        if slow is not None and api == slow.api and self.env.now >= slow.from_s:
            return slow.latency_s
        return self.latencies_s[api]

    def _track(self) -> None:
        """Add the time since the last change, weighted by the workers each API holds."""
        elapsed = self.env.now - self._since
        for api, count in self.in_service.items():
            self._areas[api] += count * elapsed
        self._queue_area += len(self.queue) * elapsed
        self._since = self.env.now

    def arrivals(self, api: str):
        rate = self.rates_per_s[api]
        while rate > 0:
            yield self.env.timeout(self.rng.expovariate(rate))
            if self.env.now >= self.duration_s:
                return
            self.number += 1
            self.arrive(Call(api, self.number, self.env.now, self.env.now + self.timeout_s))

    def arrive(self, call: Call) -> None:
        second = int(call.sent_s)
        self.counts["sent"][call.api][second] += 1
        view = PoolView(call.sent_s, self.workers, dict(self.held), len(self.queue))
        if not self.admit(call, view):
            self.counts["refused"][call.api][second] += 1
            return
        self._track()
        self.held[call.api] += 1
        self.queue.append(call)
        self.idle.wake_one()

    def worker(self):
        while True:
            if not self.queue:
                yield self.idle.wait()
                continue
            self._track()
            call = self.queue.popleft()
            self.in_service[call.api] += 1
            yield self.env.timeout(self.rng.expovariate(1 / self.latency_s(call.api)))
            self._track()
            self.in_service[call.api] -= 1
            self.held[call.api] -= 1
            answered = "good" if self.env.now <= call.deadline_s else "late"
            self.counts[answered][call.api][int(call.sent_s)] += 1

    def sample(self):
        """Each second, the workers each API held and the queue, time-weighted."""
        sampled = dict(self._areas)
        sampled_queue = 0.0
        for second in range(len(self.queued)):
            yield self.env.timeout(min(second + 1, self.duration_s) - self.env.now)
            self._track()
            for api in self.busy:
                self.busy[api][second] = self._areas[api] - sampled[api]
                sampled[api] = self._areas[api]
            self.queued[second] = self._queue_area - sampled_queue
            sampled_queue = self._queue_area

    def run(self) -> PoolRun:
        for api in self.rates_per_s:
            self.env.process(self.arrivals(api))
        for _ in range(self.workers):
            self.env.process(self.worker())
        self.env.process(self.sample())
        self.env.run(until=self.duration_s + self.timeout_s)

        def frozen(series: dict) -> Mapping:
            return frozen_mapping({api: tuple(values) for api, values in series.items()})

        return PoolRun(self.duration_s, self.workers,
                       self.slowdown.from_s if self.slowdown else math.inf,
                       **{name: frozen(series) for name, series in self.counts.items()},
                       busy=frozen(self.busy), queued=tuple(self.queued))


def simulate_pool(admit: PoolAdmit = admit_every_call, *, workers: int = WORKERS,
                  rates_per_s: Mapping[str, float] = RATES_PER_S,
                  latencies_s: Mapping[str, float] = LATENCIES_S,
                  slowdown: Slowdown | None = Slowdown(),
                  timeout_s: float = CLIENT_TIMEOUT_S, duration_s: float = RUN_S,
                  seed: int = DEFAULT_SEED) -> PoolRun:
    """Two (or more) APIs, open loop at ``rates_per_s``, sharing ``workers`` under ``admit``;
    each request holds a worker for an exponentially distributed time around its
    dependency's latency (``latencies_s``, until ``slowdown``)."""
    if workers < 1 or set(latencies_s) < set(rates_per_s):
        raise ValueError("simulate_pool needs a worker, and a latency for every API")
    return _Pool(admit, workers, rates_per_s, latencies_s, slowdown, timeout_s, duration_s,
                 random.Random(seed)).run()


def layout_policy(layout: str, headroom: float = HEADROOM, workers: int = WORKERS) -> PoolAdmit:
    """The admission policy of one of ``LAYOUTS``; bulkheads sized from the normal rates and
    latencies, with ``headroom``."""
    if layout == SHARED:
        return admit_every_call
    if layout == ONE_LIMIT:
        return pool_limit
    return within_limits(api_limits(RATES_PER_S, LATENCIES_S, workers, headroom))


@lru_cache(maxsize=128)
def bulkhead_run(layout: str = SHARED, slow_latency_s: float = SLOW_LATENCY_S,
                 headroom: float = HEADROOM, duration_s: float = RUN_S,
                 seed: int = DEFAULT_SEED) -> PoolRun:
    """The chapter's story under one layout: search's dependency slows to ``slow_latency_s``
    at ``SLOW_FROM_S``."""
    return simulate_pool(layout_policy(layout, headroom),
                         slowdown=Slowdown(SEARCH, slow_latency_s, SLOW_FROM_S),
                         duration_s=duration_s, seed=seed)


# -- the same arithmetic in Lambda -----------------------------------------------------------


DEFAULT_PARALLELIZATION_FACTOR = cast(int, KINESIS_MAPPING_DEFAULTS["ParallelizationFactor"])


def stream_concurrency(shards: int,
                       parallelization_factor: int = DEFAULT_PARALLELIZATION_FACTOR) -> int:
    """Invocations a Kinesis event source mapping runs at once, at most: one batch in flight
    per shard per ParallelizationFactor (1 to 10)."""
    if not 1 <= parallelization_factor <= MAX_PARALLELIZATION_FACTOR:
        raise ValueError(f"ParallelizationFactor is 1 to {MAX_PARALLELIZATION_FACTOR}, not "
                         f"{parallelization_factor}")
    return shards * parallelization_factor


def max_reservable(account_limit: int = LAMBDA_ACCOUNT_CONCURRENCY) -> int:
    """What reservations may add up to: the account's concurrency less the minimum Lambda
    keeps unreserved for the functions without one."""
    return account_limit - LAMBDA_UNRESERVED_MINIMUM


@dataclass(frozen=True)
class AccountShare:
    """Concurrent executions each function runs and has throttled, when each wants some at
    once (frozen: a read-only result)."""

    running: Mapping[str, int]
    throttled: Mapping[str, int]


def share_account(wanted: Mapping[str, int], reserved: Mapping[str, int] | None = None,
                  account_limit: int = LAMBDA_ACCOUNT_CONCURRENCY) -> AccountShare:
    """Each function runs what it ``wanted``, as far as the account allows. A function with
    reserved concurrency runs up to its reservation and never more (guaranteed and capped);
    the others share what is left, each in proportion to its demand when together they want
    more (Lambda throttles whichever invocation finds no concurrency free, so under a steady
    demand each loses about its share)."""
    reserved = dict(reserved or {})
    if sum(reserved.values()) > max_reservable(account_limit):
        raise ValueError(f"reservations add up to {sum(reserved.values())}; Lambda allows at "
                         f"most {max_reservable(account_limit)} of {account_limit} (it keeps "
                         f"{LAMBDA_UNRESERVED_MINIMUM} unreserved)")
    pool = account_limit - sum(reserved.values())
    demand = sum(want for name, want in wanted.items() if name not in reserved)
    running = {name: (min(want, reserved[name]) if name in reserved
                      else want if demand <= pool else want * pool // demand)
               for name, want in wanted.items()}
    return AccountShare(frozen_mapping(running),
                        frozen_mapping({name: wanted[name] - running[name] for name in wanted}))

"""Overload in simpy: open-loop clients with timeouts and retries against a server with a
queue, where throughput and goodput part ways.

The pieces compose:

- ``Load``: open-loop arrivals, piecewise-constant rates (``steady``, ``spike``, ``surge``):
  clients keep sending whether the server keeps up or not, as users and upstream services
  do.
- ``Clients``: each request has a timeout; a timed-out or refused attempt is retried (at
  once, or after a backoff, with or without jitter) up to ``retries`` times, and, with a
  retry budget, only while the budget has a token. The server never learns that a client
  gave up.
- ``Server``: ``workers`` handle one request each; the rest wait in a queue that is FIFO,
  LIFO or by priority, and may be bounded. Service time is exponential around
  ``service_s``, and may grow with the number of requests in service (the Universal
  Scalability Law's contention and coherency terms), so a server that takes on more work
  can finish less of it.
- Policies are pure functions the learner can write: ``admit(request, server)`` at arrival,
  and ``shed(request, server)`` when a worker takes a request from the queue. Both see
  small frozen views (``Request``, ``ServerView``), never the model itself.

``simulate`` returns a ``Result`` whose per-second series separate **throughput** (requests
completed) from **goodput** (requests completed in time for a client that still waits),
with latency percentiles and concurrency. An hour at hundreds of requests a second takes
seconds of wall time.
"""

from __future__ import annotations

import heapq
import math
import random
from collections import Counter, deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import simpy

from resilience.clock import DEFAULT_SEED
from resilience.models.frozen import frozen_mapping
from resilience.models.retrybudget import RetryBudget
from resilience.models.stats import percentile
from resilience.models.workers import IdleWorkers

FIFO, LIFO, PRIORITY = "fifo", "lifo", "priority"
CAPACITY_PER_S = 100.0  # the course's server: 10 workers at 100 ms each
WORKERS = 10
SERVICE_S = 0.1
CLIENT_TIMEOUT_S = 1.0
RETRY_BUDGET_RETRIES = 10  # a retry budget holds (and starts with) the cost of 10 retries


def _share_budget(share: float | None) -> RetryBudget | None:
    """A budget that keeps retries ``share`` of the first tries (None: no budget)."""
    if share is None:
        return None
    retry_cost = round(1 / share)
    return RetryBudget(RETRY_BUDGET_RETRIES * retry_cost, retry_cost)


# -- what policies see ------------------------------------------------------------------------


class Request(NamedTuple):
    """One attempt of one client request, as a policy sees it (a tuple: cheap to make,
    impossible to change)."""

    number: int  # the client request it belongs to
    attempt: int  # 0 for the first try, 1 for the first retry, ...
    sent_s: float  # when this attempt was sent
    deadline_s: float  # when its client stops waiting (sent_s + the client's timeout)
    priority: int = 0  # lower is served first by a priority queue


class ServerView(NamedTuple):
    """The server's state, as a policy sees it."""

    now_s: float
    in_service: int  # requests being worked on
    queued: int  # requests waiting for a worker
    workers: int
    service_s: float  # the mean service time with one request in service


Admit = Callable[[Request, ServerView], bool]
Shed = Callable[[Request, ServerView], bool]
Work = Callable[[Request], None]  # what serving a request really does (a DynamoDB write...)


def admit_all(request: Request, server: ServerView) -> bool:
    """No admission control: the default, and the problem."""
    return True


def shed_nothing(request: Request, server: ServerView) -> bool:
    """Work on everything taken from the queue, even what nobody waits for any more."""
    return False


def shed_past_deadline(request: Request, server: ServerView) -> bool:
    """Drop a request whose client will have given up before it could be answered."""
    return server.now_s + server.service_s > request.deadline_s


# -- the pieces -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Load:
    """Open-loop arrivals: ``(start_s, requests per second)`` segments, the last one lasting
    until ``duration_s``."""

    segments: tuple[tuple[float, float], ...]
    duration_s: float

    def rate_at(self, t_s: float) -> float:
        rate = 0.0
        for start_s, segment_rate in self.segments:
            if t_s >= start_s:
                rate = segment_rate
        return rate


def steady(rate_per_s: float, duration_s: float) -> Load:
    """The same rate throughout."""
    return Load(((0.0, rate_per_s),), duration_s)


def spike(rate_per_s: float, factor: float, start_s: float, length_s: float,
          duration_s: float) -> Load:
    """A steady rate, times ``factor`` for ``length_s`` from ``start_s``: a short trigger."""
    return Load(((0.0, rate_per_s), (start_s, rate_per_s * factor),
                 (start_s + length_s, rate_per_s)), duration_s)


def surge(rate_per_s: float, factor: float, start_s: float, length_s: float,
          duration_s: float, steps: int = 5) -> Load:
    """A steady rate that ramps up to ``factor`` times over ``length_s / 2`` and back down:
    a burst of traffic that builds and fades."""
    half = length_s / 2
    segments = [(0.0, rate_per_s)]
    for step in range(1, steps + 1):
        segments.append((start_s + half * (step - 1) / steps,
                         rate_per_s * (1 + (factor - 1) * step / steps)))
    for step in range(steps - 1, -1, -1):
        segments.append((start_s + half + half * (steps - 1 - step) / steps,
                         rate_per_s * (1 + (factor - 1) * step / steps)))
    return Load(tuple(segments), duration_s)


def exponential_backoff(base_s: float, cap_s: float) -> Callable[[int], float]:
    """``backoff_s`` for ``Clients``: ``min(cap_s, base_s * 2 ** (attempt - 1))`` before retry
    ``attempt`` (1 for the first retry). With ``Clients(jitter=True)``, the longest wait."""

    def backoff_s(attempt: int) -> float:
        return min(cap_s, base_s * 2 ** (attempt - 1))

    return backoff_s


@dataclass(frozen=True)
class Clients:
    """How clients wait and retry: ``backoff_s(attempt)`` is the wait before retry
    ``attempt`` (1 for the first retry); the default retries at once. ``jitter``: wait a
    uniformly random time up to ``backoff_s(attempt)`` instead (full jitter).

    ``retry_budget``: the clients share a ``retrybudget.RetryBudget`` that pays for
    ``RETRY_BUDGET_RETRIES`` retries when full (it starts full); each first try earns one
    token and each retry costs ``1 / retry_budget`` tokens, and a retry the budget refuses is
    not sent: retries stay near that share of the first tries (0.1: 10%). None: no budget.
    ``priority(number)`` gives each request its class, for a priority queue (all 0 by
    default)."""

    timeout_s: float = CLIENT_TIMEOUT_S
    retries: int = 0
    backoff_s: Callable[[int], float] | None = None
    priority: Callable[[int], int] | None = None  # request number -> its class (0 first)
    jitter: bool = False
    retry_budget: float | None = None  # tokens each first try earns; None: no budget


@dataclass(frozen=True)
class Server:
    """Workers, a queue and a service time that may grow with contention.

    ``contention`` and ``coherency`` are the Universal Scalability Law's sigma and kappa: a
    request started with N in service takes ``service_s * (1 + sigma (N-1) + kappa N (N-1))``
    on average. Both 0: a fixed service time, so throughput tops out at
    ``workers / service_s``.
    """

    workers: int = WORKERS
    service_s: float = SERVICE_S
    queue: str = FIFO
    queue_limit: int | None = None  # None: unbounded
    contention: float = 0.0
    coherency: float = 0.0

    def slowdown(self, in_service: int) -> float:
        """How much longer a request takes with ``in_service`` requests in service."""
        n = max(in_service, 1)
        return 1 + self.contention * (n - 1) + self.coherency * n * (n - 1)

    @property
    def capacity_per_s(self) -> float:
        """Requests a second at best (all workers busy, no contention)."""
        return max(n / (self.service_s * self.slowdown(n)) for n in range(1, self.workers + 1))


# -- the result -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Result:
    """What a run did, in per-second series (index = second of the run) and totals (frozen:
    a cached run is shared)."""

    duration_s: float
    offered: tuple[int, ...]  # attempts arriving (first tries and retries)
    rejected: tuple[int, ...]  # attempts refused at admission, or by a full queue
    shed: tuple[int, ...]  # attempts dropped from the queue by the shed policy
    completed: tuple[int, ...]  # attempts the server finished: throughput
    good: tuple[int, ...]  # finished before their client gave up: goodput
    timed_out: tuple[int, ...]  # attempts a client gave up on
    concurrency: tuple[float, ...]  # requests in the server (in service + queued), per-second mean
    latencies_s: tuple[float, ...]  # of good attempts
    requests: int  # client requests (first attempts)
    succeeded: int  # client requests that got a good answer on some attempt
    good_by_priority: Mapping[int, int]  # priority -> good answers (a missing one: 0)

    def rate(self, series: Sequence[int], start_s: float = 0.0, end_s: float | None = None
             ) -> float:
        """The mean per-second rate of ``series`` over ``[start_s, end_s)``."""
        end = int(end_s if end_s is not None else self.duration_s)
        window = series[int(start_s):end]
        return sum(window) / len(window) if window else 0.0

    def latency_percentile(self, fraction: float) -> float:
        """A percentile of the good attempts' latencies (seconds); NaN without any."""
        return percentile(self.latencies_s, fraction) if self.latencies_s else math.nan


# -- the model --------------------------------------------------------------------------------


class _Attempt:
    __slots__ = ("view", "done", "client_waiting")

    def __init__(self, view: Request):
        self.view = view
        self.done = False
        self.client_waiting = True


_COUNTED = ("offered", "rejected", "shed", "completed", "good", "timed_out")  # Result's counts


class _Model:
    def __init__(self, load: Load, clients: Clients, server: Server, admit: Admit,
                 shed: Shed, work: Work | None, rng: random.Random):
        self.env = simpy.Environment()
        self.load, self.clients, self.server = load, clients, server
        self.admit, self.shed, self.work, self.rng = admit, shed, work, rng
        seconds = math.ceil(load.duration_s)
        # what the run records as it goes, frozen into its Result at the end
        self.counts = {name: [0] * seconds for name in _COUNTED}
        self._seconds = seconds
        self._offered, self._rejected, self._timed_out = (
            self.counts["offered"], self.counts["rejected"], self.counts["timed_out"])
        self.concurrency = [0.0] * seconds
        self.latencies_s: list[float] = []
        self.requests = self.succeeded = 0
        self.good_by_priority: Counter[int] = Counter()
        self.queue: deque[_Attempt] = deque()  # FIFO or LIFO: the waiting attempts
        self.heap: list[tuple[int, int, _Attempt]] = []  # PRIORITY: (priority, order, attempt)
        self.in_service = 0
        self.idle = IdleWorkers(self.env)
        self._order = 0  # ties in the priority queue keep arrival order
        self._area = 0.0  # requests in the server x seconds, so far
        self._area_since = 0.0
        self._sampled = 0.0  # the area at the last whole second
        self._budget = _share_budget(clients.retry_budget)

    # what happens to an attempt

    # The paths every attempt takes (send, give up, retry, queue) count inline rather than
    # through ``_count``: a run makes tens of thousands of attempts, and a widget redraws one.

    def send(self, number: int, attempt: int, priority: int = 0) -> None:
        now = self.env.now
        if now >= self.load.duration_s:
            return
        clients = self.clients
        request = _Attempt(Request(number, attempt, now, now + clients.timeout_s, priority))
        self._offered[int(now)] += 1  # now < duration_s: always a second of the run
        if attempt == 0 and self._budget is not None:
            self._budget.deposit()
        if (self.admit is not admit_all and not self.admit(request.view, self._view())) or (
                self.server.queue_limit is not None
                and self.waiting >= self.server.queue_limit):
            self._rejected[int(now)] += 1  # the client hears at once, and may retry
            request.done, request.client_waiting = True, False
            self._retry(request.view)
            return
        self.env.timeout(clients.timeout_s).callbacks.append(
            lambda _: self._give_up(request))
        self._enqueue(request)

    def _give_up(self, request: _Attempt) -> None:
        """The client's timeout: unless answered by now, it stops waiting and retries."""
        if not request.client_waiting:
            return
        request.client_waiting = False
        second = int(self.env.now)
        if second < self._seconds:
            self._timed_out[second] += 1
        self._retry(request.view)

    def _retry(self, view: Request) -> None:
        clients = self.clients
        if view.attempt >= clients.retries:
            return
        if self._budget is not None and not self._budget.try_spend():
            return  # the budget is spent: the client gives up on this request
        if clients.backoff_s is None:
            self.send(view.number, view.attempt + 1, view.priority)
            return
        backoff_s = clients.backoff_s(view.attempt + 1)
        if clients.jitter:
            backoff_s *= self.rng.random()
        if backoff_s > 0:
            self.env.timeout(backoff_s).callbacks.append(
                lambda _: self.send(view.number, view.attempt + 1, view.priority))
        else:
            self.send(view.number, view.attempt + 1, view.priority)

    def _finish(self, request: _Attempt) -> None:
        if self.work is not None:
            self.work(request.view)
        request.done = True
        self._count("completed")
        if request.client_waiting:
            request.client_waiting = False
            self._count("good")
            self.latencies_s.append(self.env.now - request.view.sent_s)
            self.succeeded += 1
            self.good_by_priority[request.view.priority] += 1

    # the queue and the workers

    def _enqueue(self, request: _Attempt) -> None:
        now = self.env.now  # _track_concurrency, inline
        self._area += (self.in_service + len(self.queue) + len(self.heap)) * (
            now - self._area_since)
        self._area_since = now
        if self.server.queue == PRIORITY:
            self._order += 1
            heapq.heappush(self.heap, (request.view.priority, self._order, request))
        else:
            self.queue.append(request)
        self.idle.wake_one()

    @property
    def waiting(self) -> int:
        """Attempts in the queue, whichever order it serves them in."""
        return len(self.queue) + len(self.heap)

    def _take(self) -> _Attempt:
        self._track_concurrency()
        if self.server.queue == PRIORITY:
            return heapq.heappop(self.heap)[2]
        return self.queue.pop() if self.server.queue == LIFO else self.queue.popleft()

    def worker(self):
        while True:
            if not self.waiting:
                yield self.idle.wait()
                continue
            request = self._take()
            if self.shed is not shed_nothing and self.shed(request.view, self._view()):
                request.done = True
                self._count("shed")
                continue
            self._track_concurrency()
            self.in_service += 1
            mean_s = self.server.service_s * self.server.slowdown(self.in_service)
            yield self.env.timeout(self.rng.expovariate(1 / mean_s))
            self._track_concurrency()
            self.in_service -= 1
            self._finish(request)

    def arrivals(self):
        number = 0
        for index, (start_s, rate) in enumerate(self.load.segments):
            end_s = (self.load.segments[index + 1][0] if index + 1 < len(self.load.segments)
                     else self.load.duration_s)
            if self.env.now < start_s:
                yield self.env.timeout(start_s - self.env.now)
            while rate > 0:
                gap = self.rng.expovariate(rate)
                if self.env.now + gap >= end_s:
                    yield self.env.timeout(end_s - self.env.now)
                    break
                yield self.env.timeout(gap)
                number += 1
                self.requests += 1
                priority = self.clients.priority(number) if self.clients.priority else 0
                self.send(number, 0, priority)

    # bookkeeping

    def _view(self) -> ServerView:
        return ServerView(self.env.now, self.in_service, self.waiting, self.server.workers,
                          self.server.service_s)

    def _count(self, name: str) -> None:
        series = self.counts[name]
        second = int(self.env.now)
        if second < len(series):
            series[second] += 1

    def _track_concurrency(self) -> None:
        """Add the time since the last change, weighted by the requests in the server."""
        now = self.env.now
        self._area += (self.in_service + len(self.queue) + len(self.heap)) * (
            now - self._area_since)
        self._area_since = now

    def sample_concurrency(self):
        """Each second, its time-weighted mean concurrency."""
        for second in range(len(self.concurrency)):
            yield self.env.timeout(min(second + 1, self.load.duration_s) - self.env.now)
            self._track_concurrency()
            self.concurrency[second] = self._area - self._sampled
            self._sampled = self._area

    def run(self) -> Result:
        self.env.process(self.arrivals())
        self.env.process(self.sample_concurrency())
        for _ in range(self.server.workers):
            self.env.process(self.worker())
        self.env.run(until=self.load.duration_s + 1e-9)
        return Result(self.load.duration_s,
                      **{name: tuple(series) for name, series in self.counts.items()},
                      concurrency=tuple(self.concurrency), latencies_s=tuple(self.latencies_s),
                      requests=self.requests, succeeded=self.succeeded,
                      good_by_priority=frozen_mapping(self.good_by_priority))


def simulate(load: Load, *, clients: Clients = Clients(), server: Server = Server(),
             admit: Admit = admit_all, shed: Shed = shed_nothing, work: Work | None = None,
             seed: int = DEFAULT_SEED) -> Result:
    """Run ``load`` from ``clients`` against ``server`` under these policies; ``work`` is
    called for each request a worker finishes, whether or not its client still waits."""
    return _Model(load, clients, server, admit, shed, work, random.Random(seed)).run()


def littles_law(arrival_rate_per_s: float, latency_s: float) -> float:
    """Concurrency = arrival rate x latency: the requests in flight at once, on average."""
    return arrival_rate_per_s * latency_s


# -- backoff in a closed system ----------------------------------------------------------------
#
# ``resilience.models.overload`` is an open system: requests arrive at their own rate
# whatever happens to the ones before. Here is its closed counterpart, on the same server: a
# fixed set of clients, each with one request at a time. A client thinks, sends, waits for
# the answer or its timeout, backs off and retries, and only after an answer thinks again
# and sends its next request. So a client that waits longer sends less: backoff lowers the
# load itself, not just its timing.

CLOSED_CLIENTS = 400  # clients, each with one request at a time
CLOSED_SPIKE_START_S = 20.0  # the trigger: from 20 s,
CLOSED_SPIKE_LENGTH_S = 15.0  # for 15 s,
CLOSED_SPIKE_FACTOR = 3.0  # the clients send 3 times as often (they think a third as long)
CLOSED_RUN_S = 90.0


def closed_loop(*, clients: int = CLOSED_CLIENTS, think_s: float,
                timeout_s: float = CLIENT_TIMEOUT_S, retries: int | None = None,
                backoff_s: Callable[[int], float] | None = None, jitter: bool = True,
                server: Server = Server(),
                spike: tuple[float, float, float] = (CLOSED_SPIKE_START_S, CLOSED_SPIKE_LENGTH_S,
                                                     CLOSED_SPIKE_FACTOR),
                duration_s: float = CLOSED_RUN_S, seed: int = DEFAULT_SEED) -> Result:
    """``clients`` closed-loop clients against ``server`` (FIFO, unbounded, as in
    ``simulate``): each thinks ``think_s`` on average (exponentially distributed), sends,
    and waits up to ``timeout_s``; on a timeout it waits ``backoff_s(attempt)`` (1 for the
    first retry; a uniformly random share of it with ``jitter``; no wait if None) and sends
    again, up to ``retries`` times (None: until it gets an answer). During ``spike``
    (start, length, factor) clients think ``factor`` times less. The server never learns
    that a client gave up: it serves every attempt it queued.

    Returns ``Result``'s per-second series (nothing is rejected or shed here), so
    an open and a closed run can be drawn and measured alike."""
    if clients < 1 or think_s <= 0 or timeout_s <= 0:
        raise ValueError("closed_loop needs at least one client, and a positive think time "
                         "and timeout")
    if server.queue != FIFO or server.queue_limit is not None:
        raise ValueError("closed_loop models an unbounded FIFO queue only")
    rng = random.Random(seed)
    env = simpy.Environment()
    workers = simpy.Resource(env, server.workers)
    seconds = math.ceil(duration_s)
    counts = {name: [0] * seconds for name in ("offered", "completed", "good", "timed_out")}
    latencies: list[float] = []
    totals = {"requests": 0, "succeeded": 0}
    area = {"in_server": 0, "since": 0.0, "sum": 0.0}  # requests in the server x seconds
    spike_start, spike_length, spike_factor = spike

    def count(name: str) -> None:
        if env.now < duration_s:
            counts[name][int(env.now)] += 1

    def in_server(change: int) -> None:
        area["sum"] += area["in_server"] * (env.now - area["since"])
        area["since"], area["in_server"] = env.now, area["in_server"] + change

    def serve(answered: simpy.Event):
        in_server(+1)
        with workers.request() as turn:
            yield turn
            yield env.timeout(rng.expovariate(
                1 / (server.service_s * server.slowdown(workers.count))))
        in_server(-1)
        count("completed")
        answered.succeed()

    def client():
        yield env.timeout(rng.expovariate(1 / think_s))  # the clients start spread out
        while env.now < duration_s:
            totals["requests"] += 1
            attempt = 0
            while env.now < duration_s:
                count("offered")
                sent_s = env.now
                answered = env.event()
                env.process(serve(answered))
                yield answered | env.timeout(timeout_s)
                if answered.triggered:
                    count("good")
                    latencies.append(env.now - sent_s)
                    totals["succeeded"] += 1
                    break
                count("timed_out")
                if retries is not None and attempt >= retries:
                    break
                attempt += 1
                if backoff_s is not None:
                    wait_s = backoff_s(attempt) * (rng.random() if jitter else 1.0)
                    yield env.timeout(wait_s)
            spiking = spike_start <= env.now < spike_start + spike_length
            yield env.timeout(rng.expovariate((spike_factor if spiking else 1.0) / think_s))

    def sample():
        for second in range(seconds):
            yield env.timeout(min(second + 1, duration_s) - env.now)
            in_server(0)
            concurrency[second] = area["sum"]
            area["sum"] = 0.0

    concurrency = [0.0] * seconds
    for _ in range(clients):
        env.process(client())
    env.process(sample())
    env.run(until=duration_s + 1e-9)
    zeros = (0,) * seconds
    return Result(
        duration_s, offered=tuple(counts["offered"]), rejected=zeros, shed=zeros,
        completed=tuple(counts["completed"]), good=tuple(counts["good"]),
        timed_out=tuple(counts["timed_out"]), concurrency=tuple(concurrency),
        latencies_s=tuple(latencies), requests=totals["requests"],
        succeeded=totals["succeeded"],
        good_by_priority=frozen_mapping({0: totals["succeeded"]}))

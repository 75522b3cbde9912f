"""Health checks in simpy: a load balancer that takes slow hosts out of service can take out
all of them.

A fleet of ``HOSTS`` identical hosts sits behind a load balancer. The balancer sends each
request to the next host it has in service (round robin, an ALB's default), and probes every
host every ``PROBE_INTERVAL_S``; a probe not answered within ``PROBE_TIMEOUT_S`` fails. After
``UNHEALTHY_AFTER`` failed probes in a row a host leaves service; after ``HEALTHY_AFTER``
good ones in a row it comes back (an ALB target group's ``UnhealthyThresholdCount`` and
``HealthyThresholdCount``). Nothing is wrong with any host: each has ``WORKERS`` and a FIFO
queue, so under load it is slow, not broken.

The checks, under short keys (``LABELS`` gives the words figures and widgets show):

- ``DEEP``: the probe does real work, so it waits in the host's queue behind the requests,
  and a busy host fails it. Once one host is out, the others get its traffic, queue more,
  and fail theirs too: a cascade that can leave no host in service at all.
- ``SHALLOW``: a liveness check that the server answers at once, ahead of any work, so load
  cannot fail it. (Nor can a broken dependency: that is its price.)
- ``FIRST``: the deep probe, put at the head of the queue: it waits for a free worker, not
  for the requests queued before it.
- ``FAIL_OPEN``: the deep probe, but with fewer than ``min_healthy`` hosts healthy the
  balancer stops trusting the checks and sends traffic to every host, as an ALB or NLB
  target group's routing failover does. An ALB without that setting fails open only when
  no target at all is healthy (``ALB_MIN_HEALTHY``).
- ``SHEDDING``: the deep probe, on hosts that refuse a request at once (a fast 503) when
  ``CONCURRENCY_LIMIT`` are already inside, so the queue stays short and the probe fast.
  The probe itself is never refused: a host that shed its health checks would take itself
  out of service.

Requests arrive open loop (users keep sending) and are never retried, so the only feedback
is the balancer's. A request is **good** if it is answered within ``CLIENT_TIMEOUT_S``.
"""

from __future__ import annotations

import math
import random
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import simpy

from resilience.clock import DEFAULT_SEED
from resilience.models.overload import Load, littles_law, spike
from resilience.models.workers import IdleWorkers

DEEP, SHALLOW, FIRST, FAIL_OPEN, SHEDDING = "deep", "shallow", "first", "fail-open", "shedding"
CHECKS = (DEEP, SHALLOW, FIRST, FAIL_OPEN, SHEDDING)
LABELS = {DEEP: "deep check", SHALLOW: "shallow check", FIRST: "deep check, first in line",
          FAIL_OPEN: "deep check, fail open", SHEDDING: "deep check, load shedding"}

HOSTS = 10
WORKERS = 4  # per host, each on one request at a time...
SERVICE_S = 0.4  # ...for 400 ms on average (exponentially distributed)
HOST_CAPACITY_PER_S = WORKERS / SERVICE_S  # 10 requests a second
FLEET_CAPACITY_PER_S = HOSTS * HOST_CAPACITY_PER_S  # 100 requests a second
CLIENT_TIMEOUT_S = 2.0  # a client waits this long for an answer, then gives up
PROBE_INTERVAL_S = 5.0  # the shortest HealthCheckIntervalSeconds an ALB allows
PROBE_TIMEOUT_S = 2.0  # the shortest HealthCheckTimeoutSeconds an ALB allows
UNHEALTHY_AFTER = 2  # failed probes in a row: an ALB's default UnhealthyThresholdCount
HEALTHY_AFTER = 5  # good probes in a row: an ALB's default HealthyThresholdCount
PROBE_WORK_S = 0.01  # a deep probe's own work, once a worker takes it
MIN_HEALTHY = 8  # with fewer healthy hosts than this, a balancer that fails open uses all
ALB_MIN_HEALTHY = 1  # an ALB's default: it fails open only when no target is healthy
LATENCY_TARGET_S = 1.0  # a shedding host answers within this, half a client's timeout...
CONCURRENCY_LIMIT = round(littles_law(HOST_CAPACITY_PER_S, LATENCY_TARGET_S))  # ...10 inside
LOAD_FACTOR = 0.9  # the steady load, as a share of the fleet's capacity
SPIKE_FACTOR = 1.5  # the trigger: the load times 1.5...
SPIKE_START_S, SPIKE_LENGTH_S = 20.0, 10.0  # ...for 10 s from 20 s
DURATION_S = 120.0


@dataclass(frozen=True)
class HealthRun:
    """A fleet's run under one kind of check, second by second (index = second of the run;
    frozen: a cached run is shared)."""

    check: str  # one of CHECKS
    load_factor: float  # the steady load, as a share of the fleet's capacity
    spike_factor: float  # the spike's load, as a multiple of the steady load
    min_healthy: int  # the healthy hosts below which a balancer that fails open uses all
    hosts: int
    capacity_per_s: float  # the fleet's
    healthy: tuple[int, ...]  # hosts passing their checks, at the end of each second
    routed: tuple[int, ...]  # hosts the balancer sends traffic to (all, when failing open)
    offered: tuple[int, ...]  # requests arriving at the balancer
    good: tuple[int, ...]  # answered within the client's timeout: goodput
    late: tuple[int, ...]  # answered after the client gave up: wasted work
    shed: tuple[int, ...]  # refused by a host at its concurrency limit (a fast 503)
    unrouted: tuple[int, ...]  # refused by the balancer: no host in service
    probes_failed: int

    @property
    def duration_s(self) -> int:
        return len(self.offered)

    def rate(self, series: tuple[int, ...], start_s: float = 0.0,
             end_s: float | None = None) -> float:
        """The mean per-second rate of ``series`` over ``[start_s, end_s)``."""
        window = series[int(start_s):int(self.duration_s if end_s is None else end_s)]
        return sum(window) / len(window) if window else 0.0

    @property
    def fewest_routed(self) -> int:
        """The fewest hosts the balancer sent traffic to, in any second of the run."""
        return min(self.routed)

    @property
    def settled_goodput(self) -> float:
        """Goodput over the last third of the run, long after the spike: where the fleet
        settled (requests a second)."""
        return self.rate(self.good, self.duration_s * 2 / 3)

    def summary(self) -> str:
        """One line: the fewest hosts in service, and the goodput the fleet settled at."""
        return (f"{LABELS[self.check]:26} fewest hosts in service {self.fewest_routed:2} of "
                f"{self.hosts}; goodput at the end {self.settled_goodput:3.0f}/s of "
                f"{self.load_factor * self.capacity_per_s:.0f}/s sent")


class _Host:
    """One host: ``WORKERS`` taking work from a FIFO queue. A queued request is the time it
    was sent; a queued probe is the event its answer triggers."""

    def __init__(self, env: simpy.Environment, rng: random.Random,
                 answered: Callable[[float], None]) -> None:
        self.env, self.rng, self.answered = env, rng, answered
        self.queue: deque[float | simpy.Event] = deque()
        self.in_service = 0
        self.idle = IdleWorkers(self.env)
        self.healthy = True
        self.streak = 0  # probes in a row whose result disagrees with ``healthy``
        for _ in range(WORKERS):
            env.process(self._worker())

    @property
    def inside(self) -> int:
        """Requests and probes in the host, in service and queued."""
        return self.in_service + len(self.queue)

    def put(self, item: float | simpy.Event, first: bool = False) -> None:
        """Queue a request or a probe: at the back, or (``first``) at the head."""
        if first:
            self.queue.appendleft(item)
        else:
            self.queue.append(item)
        self.idle.wake_one()

    def _worker(self):
        while True:
            if not self.queue:
                yield self.idle.wait()
                continue
            item = self.queue.popleft()
            self.in_service += 1
            if isinstance(item, simpy.Event):  # a probe
                yield self.env.timeout(PROBE_WORK_S)
                item.succeed()
            else:
                yield self.env.timeout(self.rng.expovariate(1 / SERVICE_S))
                self.answered(item)
            self.in_service -= 1


class _Fleet:
    """The balancer, its probes and the hosts, and what a run counts second by second."""

    def __init__(self, check: str, load: Load, min_healthy: int, rng: random.Random) -> None:
        self.env, self.check, self.load, self.rng = simpy.Environment(), check, load, rng
        self.min_healthy = min_healthy
        seconds = math.ceil(load.duration_s)
        self.counts = {name: [0] * seconds
                       for name in ("offered", "good", "late", "shed", "unrouted")}
        self.healthy, self.routed = [0] * seconds, [0] * seconds
        self.probes_failed = 0
        self.hosts = [_Host(self.env, rng, self._answered) for _ in range(HOSTS)]
        self.in_service = list(self.hosts)  # where the balancer sends traffic...
        self.turn = 0  # ...each request to the next one

    def _count(self, name: str) -> None:
        second = int(self.env.now)
        if second < len(self.counts[name]):
            self.counts[name][second] += 1

    def _answered(self, sent_s: float) -> None:
        self._count("good" if self.env.now - sent_s <= CLIENT_TIMEOUT_S else "late")

    def _route(self) -> None:
        """One request: to the next host in service, if there is one and it admits it."""
        self._count("offered")
        if not self.in_service:
            self._count("unrouted")
            return
        self.turn = (self.turn + 1) % len(self.in_service)
        host = self.in_service[self.turn]
        if self.check == SHEDDING and host.inside >= CONCURRENCY_LIMIT:
            self._count("shed")
            return
        host.put(self.env.now)

    def _arrivals(self):
        """Poisson arrivals at each segment's rate, until the next segment starts."""
        segments = self.load.segments
        for index, (start_s, rate) in enumerate(segments):
            end_s = segments[index + 1][0] if index + 1 < len(segments) else self.load.duration_s
            yield self.env.timeout(start_s - self.env.now)
            while rate > 0:
                gap = self.rng.expovariate(rate)
                if self.env.now + gap >= end_s:
                    break
                yield self.env.timeout(gap)
                self._route()

    def _probe(self, host: _Host):
        """Send one probe to ``host``; returns whether it was answered in time."""
        if self.check == SHALLOW:
            return True  # answered at once by a process that is up, whatever its queue
        answer = self.env.event()
        host.put(answer, first=self.check == FIRST)
        yield answer | self.env.timeout(PROBE_TIMEOUT_S)
        return answer.triggered

    def _prober(self, host: _Host):
        """Probe ``host`` every interval, from a random phase (a balancer does not probe
        every host at the same moment), and move it in or out of service at the
        thresholds. A slow answer does not delay the next probe."""
        yield self.env.timeout(self.rng.uniform(0, PROBE_INTERVAL_S))
        while True:
            sent_s = self.env.now
            passed = yield from self._probe(host)
            self.probes_failed += not passed
            host.streak = host.streak + 1 if passed != host.healthy else 0
            if host.streak >= (HEALTHY_AFTER if passed else UNHEALTHY_AFTER):
                host.healthy, host.streak = passed, 0
                self._update_routing()
            yield self.env.timeout(sent_s + PROBE_INTERVAL_S - self.env.now)

    def _update_routing(self) -> None:
        """The healthy hosts; or, failing open with too few of them, every host."""
        healthy = [host for host in self.hosts if host.healthy]
        fail_open = self.check == FAIL_OPEN and len(healthy) < self.min_healthy
        self.in_service = list(self.hosts) if fail_open else healthy

    def _sample(self):
        for second in range(len(self.healthy)):
            yield self.env.timeout(second + 1 - self.env.now)
            self.healthy[second] = sum(host.healthy for host in self.hosts)
            self.routed[second] = len(self.in_service)

    def run(self, load_factor: float, spike_factor: float) -> HealthRun:
        self.env.process(self._arrivals())
        self.env.process(self._sample())
        for host in self.hosts:
            self.env.process(self._prober(host))
        self.env.run(until=len(self.healthy) + 1e-9)  # the last second's sample included
        return HealthRun(self.check, load_factor, spike_factor, self.min_healthy, HOSTS,
                         FLEET_CAPACITY_PER_S, tuple(self.healthy), tuple(self.routed),
                         **{name: tuple(series) for name, series in self.counts.items()},
                         probes_failed=self.probes_failed)


@lru_cache(maxsize=128)
def simulate_health(check: str = DEEP, load_factor: float = LOAD_FACTOR,
                    spike_factor: float = SPIKE_FACTOR, min_healthy: int = MIN_HEALTHY,
                    duration_s: float = DURATION_S, seed: int = DEFAULT_SEED) -> HealthRun:
    """The fleet under ``check`` at ``load_factor`` x its capacity, with a spike to
    ``spike_factor`` x that load for ``SPIKE_LENGTH_S`` from ``SPIKE_START_S`` (1: no
    spike). ``min_healthy`` matters to ``FAIL_OPEN`` only."""
    if check not in CHECKS:
        raise ValueError(f"check must be one of {', '.join(CHECKS)}, not {check!r}")
    load = spike(load_factor * FLEET_CAPACITY_PER_S, spike_factor, SPIKE_START_S,
                 SPIKE_LENGTH_S, duration_s)
    return _Fleet(check, load, min_healthy, random.Random(seed)).run(load_factor, spike_factor)

"""Queue backlogs in simpy: a surge (or an outage) fills a queue fast, and it drains slowly.

Messages arrive at a steady rate into a queue; consumers take them at a higher one. A
**surge** multiplies the arrival rate for a while; an **outage** stops the consumers for a
while. Either way a backlog builds, and what the consumers serve next depends on the
strategy:

- ``FIFO``: oldest first, so after a surge every message served is stale until the whole
  backlog is gone;
- ``LIFO``: newest first, so fresh work is served at once and the backlog waits;
- ``TTL``: oldest first, but a message older than its time to live is expired (to an audit
  trail) instead of served;
- ``spill-over``: a message found older than the freshness threshold moves to a
  low-priority queue, served only when the main queue is empty.

``STRATEGIES`` are lowercase keys, as ``models.overload``'s queues are; ``LABELS`` gives the
words figures and widgets show for them.

Once the consumers can keep up, an outage's backlog drains in λT/(μ−λ) seconds (arrival
rate λ, capacity μ, outage length T): the Builders' Library's "insurmountable queue
backlogs". ``simulate_backlog`` measures that, the depth of both queues, and the age of
what is served, second by second.
"""

from __future__ import annotations

import math
import random
from collections import deque
from dataclasses import dataclass
from functools import lru_cache

import simpy

from resilience.clock import DEFAULT_SEED
from resilience.models.workers import IdleWorkers

FIFO, LIFO, TTL, SPILL = "fifo", "lifo", "ttl", "spill-over"
STRATEGIES = (FIFO, LIFO, TTL, SPILL)
LABELS = {FIFO: "FIFO", LIFO: "LIFO", TTL: "TTL", SPILL: "spill-over"}
SURGE, OUTAGE = "surge", "outage"
RATE_PER_S = 60.0  # messages arriving, normally
CAPACITY_PER_S = 100.0  # messages the consumers can take
CONSUMERS = 10
FRESH_S = 10.0  # a message served within this long of being sent is fresh
TTL_S = 30.0  # past this, a message is stale information: expire it
START_S = 30.0
DURATION_S = 420.0
SERVED_SAMPLE_EVERY = 10  # a run keeps the age of one served message in this many


def drain_time_s(rate_per_s: float, capacity_per_s: float, outage_s: float) -> float:
    """How long an outage's backlog takes to drain once consumers are back: λT/(μ−λ)."""
    if capacity_per_s <= rate_per_s:
        return math.inf
    return rate_per_s * outage_s / (capacity_per_s - rate_per_s)


@dataclass(frozen=True)
class BacklogRun:
    """What a run did, per second of it (index = second) and in total (frozen: a cached run
    is shared)."""

    strategy: str  # one of STRATEGIES
    disturbance_end_s: float
    main_depth: tuple[int, ...]  # messages waiting in the main queue, at the end of each second
    low_depth: tuple[int, ...]  # ... in the low-priority queue (spill-over)
    served: tuple[int, ...]
    expired: tuple[int, ...]
    oldest_waiting_s: tuple[float, ...]  # age of the oldest message waiting, at each second's end
    served_sample: tuple[tuple[float, float], ...]  # (time, age)
    sent: int
    stale_served: int  # messages served older than FRESH_S
    late_sent_s: float | None  # the last message sent after the disturbance and served
    # stale (math.inf: one was still waiting, stale, when the run ended; None: none was)
    served_sample_every: int = SERVED_SAMPLE_EVERY  # keep the age of one served message in
    # this many

    @property
    def recovery_s(self) -> float:
        """Seconds after the disturbance until new work is served fresh again: from then
        on, every message sent is served within ``FRESH_S`` (infinite if the run ends
        before that)."""
        if self.late_sent_s is None:
            return 0.0
        return self.late_sent_s - self.disturbance_end_s

    @property
    def drained_s(self) -> float:
        """Seconds after the disturbance until both queues are back to a normal depth (no
        more waiting than one message per consumer); infinite if they never are."""
        end = int(self.disturbance_end_s)
        for second in range(end, len(self.main_depth)):
            if self.main_depth[second] + self.low_depth[second] <= CONSUMERS:
                return float(second + 1 - self.disturbance_end_s)
        return math.inf



class _Backlog:
    def __init__(self, strategy: str, rate_per_s: float, capacity_per_s: float,
                 disturbance: str, factor: float, length_s: float, duration_s: float,
                 rng: random.Random):
        self.env = simpy.Environment()
        self.strategy, self.rng = strategy, rng
        self.rate_per_s, self.disturbance = rate_per_s, disturbance
        self.factor, self.length_s, self.duration_s = factor, length_s, duration_s
        self.disturbance_end_s = START_S + length_s
        self.service_mean_s = CONSUMERS / capacity_per_s
        self.main: deque[float] = deque()  # send times
        self.low: deque[float] = deque()
        self.idle = IdleWorkers(self.env)
        self._served_count = 0
        # what the run records as it goes, frozen into its BacklogRun at the end
        seconds = math.ceil(duration_s)
        self.main_depth, self.low_depth = [0] * seconds, [0] * seconds
        self.served, self.expired = [0] * seconds, [0] * seconds
        self.oldest_waiting_s = [0.0] * seconds
        self.served_sample: list[tuple[float, float]] = []
        self.sent = self.stale_served = 0
        self.late_sent_s: float | None = None

    def arrivals(self):
        while True:
            surging = (self.disturbance == SURGE
                       and START_S <= self.env.now < START_S + self.length_s)
            yield self.env.timeout(self.rng.expovariate(
                self.rate_per_s * (self.factor if surging else 1)))
            if self.env.now >= self.duration_s:
                return
            self.main.append(self.env.now)
            self.sent += 1
            self.idle.wake_one()

    def _next(self) -> float | None:
        """The send time of the next message to serve, expiring or spilling on the way."""
        now = self.env.now
        while self.main:
            sent = self.main.pop() if self.strategy == LIFO else self.main.popleft()
            if self.strategy == TTL and now - sent > TTL_S:
                self.expired[int(now)] += 1
            elif self.strategy == SPILL and now - sent > FRESH_S:
                self.low.append(sent)
            else:
                return sent
        return self.low.popleft() if self.low else None

    def consumer(self):
        while True:
            if self.disturbance == OUTAGE and START_S <= self.env.now < START_S + self.length_s:
                yield self.env.timeout(START_S + self.length_s - self.env.now)
                continue
            sent = self._next()
            if sent is None:
                yield self.idle.wait()
                continue
            yield self.env.timeout(self.rng.expovariate(1 / self.service_mean_s))
            if self.env.now < self.duration_s:
                age = self.env.now - sent
                self.served[int(self.env.now)] += 1
                self.stale_served += age > FRESH_S
                if age > FRESH_S and sent >= self.disturbance_end_s:
                    self.late_sent_s = max(self.late_sent_s or 0.0, sent)
                self._served_count += 1
                if self._served_count % SERVED_SAMPLE_EVERY == 0:
                    self.served_sample.append((self.env.now, age))

    def sample(self):
        for second in range(len(self.served)):
            yield self.env.timeout(second + 1 - self.env.now)
            self.main_depth[second] = len(self.main)
            self.low_depth[second] = len(self.low)
            oldest = min([queue[0] for queue in (self.main, self.low) if queue],
                         default=self.env.now)
            self.oldest_waiting_s[second] = self.env.now - oldest

    def simulate(self) -> BacklogRun:
        self.env.process(self.arrivals())
        self.env.process(self.sample())
        for _ in range(CONSUMERS):
            self.env.process(self.consumer())
        self.env.run(until=self.duration_s)
        end_s = self.disturbance_end_s
        if any(sent >= end_s and self.duration_s - sent > FRESH_S
               for sent in (*self.main, *self.low)):
            self.late_sent_s = math.inf
        return BacklogRun(self.strategy, end_s, tuple(self.main_depth), tuple(self.low_depth),
                          tuple(self.served), tuple(self.expired), tuple(self.oldest_waiting_s),
                          tuple(self.served_sample), self.sent, self.stale_served,
                          self.late_sent_s)


@lru_cache(maxsize=256)
def simulate_backlog(strategy: str = FIFO, disturbance: str = SURGE, factor: float = 3.0,
                     length_s: float = 60.0, rate_per_s: float = RATE_PER_S,
                     capacity_per_s: float = CAPACITY_PER_S, duration_s: float = DURATION_S,
                     seed: int = DEFAULT_SEED) -> BacklogRun:
    """A queue at ``rate_per_s`` with consumers of ``capacity_per_s``, and at 30 s either a
    surge (``factor`` x the rate) or an outage (no consumers), ``length_s`` long."""
    if strategy not in STRATEGIES:
        raise ValueError(f"unknown strategy {strategy!r}: choose one of {STRATEGIES}")
    if disturbance not in (SURGE, OUTAGE):
        raise ValueError(f"the disturbance is {SURGE!r} or {OUTAGE!r}, not {disturbance!r}")
    return _Backlog(strategy, rate_per_s, capacity_per_s, disturbance, factor, length_s,
                    duration_s, random.Random(seed)).simulate()

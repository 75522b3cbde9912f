"""A producer with a bounded pool of workers, calling a slow dependency: a simpy model.

Records arrive at random (Poisson) and wait in a small buffer for a worker; a record that
finds the buffer full is lost, because nobody will send it again. A worker calls the
dependency, gives up on an attempt after the timeout and retries at once, up to a number of
retries. The dependency answers after a heavy-tailed (log-normal) latency, and now and then
it hangs and never answers.

Both ways a timeout goes wrong show up:

- too short: attempts that would have succeeded are abandoned (the dependency did the work
  anyway), retries multiply the calls, and records fail once their retries run out;
- too long: every hang holds a worker for the whole timeout, the pool runs dry, the buffer
  fills, and new records are lost.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from dataclasses import dataclass

import simpy

from resilience.clock import DEFAULT_SEED

ARRIVALS_PER_S = 50.0  # records offered to the producer, per second
WORKERS = 10  # the producer's pool: calls in flight at most
BUFFER = 20  # records waiting for a worker; past this, new records are lost
DURATION_S = 120.0  # simulated time per run
MEDIAN_LATENCY_S = 0.05  # the dependency's median latency
LATENCY_SIGMA = 0.8  # spread of log(latency): a heavy tail (p99.9 about 12x the median)
HANG_PROBABILITY = 0.005  # share of calls that never answer
TIMEOUTS_S = (0.01, 0.02, 0.035, 0.05, 0.08, 0.13, 0.2, 0.35, 0.6, 1.0, 2.0, 5.0, 10.0, 30.0,
              60.0)  # the sweep, from far too short to botocore's 60 s default


@dataclass(frozen=True)
class Dependency:
    """The latency of one call: log-normal around a median, or a hang (``math.inf``)."""

    median_s: float = MEDIAN_LATENCY_S
    sigma: float = LATENCY_SIGMA
    hang_probability: float = HANG_PROBABILITY

    def latency(self, rng: random.Random) -> float:
        """One call's latency in seconds (``math.inf`` when the call hangs)."""
        if rng.random() < self.hang_probability:
            return math.inf
        return self.median_s * math.exp(self.sigma * rng.gauss(0.0, 1.0))

    def sample(self, count: int, rng: random.Random) -> list[float]:
        """Latencies of ``count`` calls that answered (what a latency metric records)."""
        answered = Dependency(self.median_s, self.sigma, hang_probability=0.0)
        return [answered.latency(rng) for _ in range(count)]


@dataclass(frozen=True)
class Run:
    """What happened to the records offered during one run (frozen: a cached run is shared)."""

    timeout_s: float
    retries: int
    offered: int = 0
    completed: int = 0  # got an answer within the timeout, on some attempt
    failed: int = 0  # every attempt timed out
    lost: int = 0  # arrived to a full buffer
    calls: int = 0  # attempts sent to the dependency
    abandoned: int = 0  # attempts that timed out although the dependency answered later
    exhausted_s: float = 0.0  # time with every worker busy
    duration_s: float = DURATION_S
    # per second of the run: records lost, records completed, workers busy at its end
    lost_per_s: tuple[int, ...] = ()
    completed_per_s: tuple[int, ...] = ()
    busy_per_s: tuple[int, ...] = ()

    def share(self, count: int) -> float:
        """``count`` as a share of the records offered."""
        return count / self.offered if self.offered else 0.0

    @property
    def calls_per_record(self) -> float:
        """Load on the dependency per record that got a worker."""
        served = self.completed + self.failed
        return self.calls / served if served else 0.0

    @property
    def exhausted_share(self) -> float:
        """Share of the run with no worker free."""
        return self.exhausted_s / self.duration_s


class _Pool:
    """Counts busy workers and the time all of them are busy."""

    def __init__(self, env: simpy.Environment):
        self.env, self.busy, self.exhausted_s = env, 0, 0.0
        self._since: float | None = None  # when every worker became busy, while they are

    def change(self, delta: int) -> None:
        if self.busy == WORKERS and self._since is not None:
            self.exhausted_s += self.env.now - self._since
        self.busy += delta
        self._since = self.env.now if self.busy == WORKERS else None


def simulate(timeout_s: float, retries: int = 2, *, seed: int = DEFAULT_SEED,
             dependency: Dependency = Dependency(), arrivals_per_s: float = ARRIVALS_PER_S,
             duration_s: float = DURATION_S) -> Run:
    """One run of the producer with this timeout and this many retries per record."""
    rng = random.Random(seed)
    env = simpy.Environment()
    buffer = simpy.Store(env, capacity=BUFFER)
    seconds = int(duration_s)
    tally: Counter[str] = Counter()  # Run's counts, by field name: offered, completed, ...
    lost_per_s, completed_per_s, busy_per_s = [0] * seconds, [0] * seconds, [0] * seconds
    pool = _Pool(env)

    def arrivals():
        while True:
            yield env.timeout(rng.expovariate(arrivals_per_s))
            if env.now >= duration_s:
                return
            tally["offered"] += 1
            if len(buffer.items) >= BUFFER:
                tally["lost"] += 1
                lost_per_s[int(env.now)] += 1
            else:
                buffer.put(env.now)

    def worker():
        while True:
            yield buffer.get()
            pool.change(+1)
            for _attempt in range(retries + 1):
                latency_s = dependency.latency(rng)
                tally["calls"] += 1
                yield env.timeout(min(latency_s, timeout_s))
                if latency_s <= timeout_s:
                    tally["completed"] += 1
                    if env.now < duration_s:
                        completed_per_s[int(env.now)] += 1
                    break
                if latency_s != math.inf:
                    tally["abandoned"] += 1
            else:
                tally["failed"] += 1
            pool.change(-1)

    def sample_busy():
        for second in range(seconds):
            yield env.timeout(1.0)
            busy_per_s[second] = pool.busy

    env.process(arrivals())
    env.process(sample_busy())
    for _ in range(WORKERS):
        env.process(worker())
    env.run(until=duration_s)
    pool.change(0)  # close an open spell of exhaustion at the end of the run
    return Run(timeout_s, retries, **tally, exhausted_s=pool.exhausted_s,
               duration_s=duration_s, lost_per_s=tuple(lost_per_s),
               completed_per_s=tuple(completed_per_s), busy_per_s=tuple(busy_per_s))


def sweep(retries: int = 2, timeouts_s=TIMEOUTS_S, seed: int = DEFAULT_SEED) -> list[Run]:
    """One run per timeout, all with the same arrivals and latencies (the same seed)."""
    return [simulate(timeout_s, retries, seed=seed) for timeout_s in timeouts_s]

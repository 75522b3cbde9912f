"""The backoff-and-jitter experiment, as a simpy model.

It reproduces the setting of the AWS Architecture Blog post "Exponential Backoff And
Jitter" (2015): N clients each want to write one row once, under optimistic concurrency.
A client reads the row's version, then writes with that version; if another client wrote
in between, the write fails, the client backs off and starts again. Every network hop takes
|N(10 ms, 2 ms)|. We count the write calls the server handled (the work) and the time until
the last client succeeded (the completion time).

At 100 clients the published simulator gives about: no backoff 2425 calls / 2.0 s,
exponential without jitter 1850 / 63.5 s, equal jitter 812 / 6.6 s, full jitter 796 / 4.9 s,
decorrelated jitter 1000 / 4.6 s.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from statistics import fmean

import simpy

from resilience.clock import DEFAULT_SEED

NET_MEAN_MS = 10.0  # one network hop, mean
NET_SD_MS = 2.0  # one network hop, standard deviation
BASE_MS = 5.0  # backoff base
CAP_MS = 2000.0  # backoff cap

STRATEGIES = ("none", "exponential", "equal", "full", "decorrelated")
LABELS = {
    "none": "no backoff",
    "exponential": "exponential, no jitter",
    "equal": "equal jitter",
    "full": "full jitter",
    "decorrelated": "decorrelated jitter",
}
# The published simulator's figures at 100 clients: (write calls, completion time in ms).
PUBLISHED_AT_100_CLIENTS = {
    "none": (2425, 2_000),
    "exponential": (1850, 63_500),
    "equal": (812, 6_600),
    "full": (796, 4_900),
    "decorrelated": (1000, 4_600),
}

Backoff = Callable[[int, float], float]  # (attempt, previous delay) -> delay, in ms


def make_backoff(strategy: str, rng: random.Random, base_ms: float = BASE_MS,
                 cap_ms: float = CAP_MS) -> Backoff:
    """The delay before retry number ``attempt`` (1, 2, ...) under a named strategy."""

    def ceiling(attempt: int) -> float:
        return min(cap_ms, base_ms * 2**attempt)

    strategies: dict[str, Backoff] = {
        "none": lambda attempt, previous: 0.0,
        "exponential": lambda attempt, previous: ceiling(attempt),
        "full": lambda attempt, previous: rng.uniform(0, ceiling(attempt)),
        "equal": lambda attempt, previous: ceiling(attempt) / 2
        + rng.uniform(0, ceiling(attempt) / 2),
        "decorrelated": lambda attempt, previous: min(cap_ms, rng.uniform(base_ms, previous * 3)),
    }
    if strategy not in strategies:
        raise ValueError(f"unknown strategy {strategy!r}: choose one of {', '.join(STRATEGIES)}")
    return strategies[strategy]


@dataclass
class Run:
    """One simulated contention: the work done, how long it took, and one client's story."""

    strategy: str
    clients: int
    calls: int = 0
    completion_ms: float = 0.0
    # (time in ms, "fail" or "ok") for each write of the traced client, and its backoffs
    traced_writes: list[tuple[float, str]] = field(default_factory=list)
    traced_backoffs_ms: list[float] = field(default_factory=list)


def simulate(strategy: str, clients: int, *, base_ms: float = BASE_MS, cap_ms: float = CAP_MS,
             seed: int = DEFAULT_SEED, traced_client: int = 0) -> Run:
    """Run the contention once and return what happened."""
    if clients < 1:
        raise ValueError("at least one client is needed")
    rng = random.Random(seed)
    env = simpy.Environment()
    run = Run(strategy, clients)
    row = {"version": 0}

    def hop():
        return env.timeout(abs(rng.normalvariate(NET_MEAN_MS, NET_SD_MS)))

    def client(index: int):
        backoff = make_backoff(strategy, rng, base_ms, cap_ms)
        attempt, previous_ms = 0, base_ms
        while True:
            yield hop()  # read request travels to the server
            version_read = row["version"]
            yield hop()  # read response travels back
            yield hop()  # write request travels to the server
            run.calls += 1
            succeeded = version_read == row["version"]
            if succeeded:
                row["version"] += 1
            if index == traced_client:
                run.traced_writes.append((env.now, "ok" if succeeded else "fail"))
            yield hop()  # write response travels back
            if succeeded:
                return
            attempt += 1
            previous_ms = backoff(attempt, previous_ms)
            if index == traced_client:
                run.traced_backoffs_ms.append(previous_ms)
            yield env.timeout(previous_ms)

    for index in range(clients):
        env.process(client(index))
    env.run()
    run.completion_ms = env.now
    return run


@dataclass(frozen=True)
class Average:
    """Mean work and completion time over several seeded runs."""

    strategy: str
    clients: int
    calls: float
    completion_ms: float


def average(strategy: str, clients: int, *, runs: int = 20, base_ms: float = BASE_MS,
            cap_ms: float = CAP_MS, seed: int = DEFAULT_SEED) -> Average:
    """Mean over ``runs`` runs seeded ``seed``, ``seed + 1``, ... (the published figures
    average 100 runs)."""
    results = [simulate(strategy, clients, base_ms=base_ms, cap_ms=cap_ms, seed=seed + i)
               for i in range(runs)]
    return Average(strategy, clients, fmean(r.calls for r in results),
                   fmean(r.completion_ms for r in results))


def sweep(strategies: Iterable[str] = STRATEGIES, client_counts: Iterable[int] = range(10, 101, 10),
          **kwargs) -> dict[str, list[Average]]:
    """``average`` for each strategy at each number of clients."""
    client_counts = list(client_counts)
    return {s: [average(s, n, **kwargs) for n in client_counts] for s in strategies}


def periodic_load(clients: int, *, period_s: float = 60.0, jitter_s: float = 0.0,
                  periods: int = 3, seed: int = DEFAULT_SEED) -> tuple[int, ...]:
    """Calls a second when ``clients`` each run a job every ``period_s`` seconds, on the
    period (a cron job "every minute") or offset by a random delay up to ``jitter_s``, drawn
    once per client and period. Over ``periods`` periods."""
    if clients < 0 or period_s <= 0 or not 0 <= jitter_s <= period_s:
        raise ValueError("periodic_load needs clients >= 0, period_s > 0 and "
                         "0 <= jitter_s <= period_s")
    rng = random.Random(seed)
    per_second = [0] * math.ceil(period_s * periods)
    for period in range(periods):
        for _ in range(clients):
            second = int(period * period_s + rng.uniform(0, jitter_s))
            per_second[min(second, len(per_second) - 1)] += 1
    return tuple(per_second)

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
from resilience.models import overload
from resilience.models.frozen import frozen_mapping

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


# -- backoff in a closed system ----------------------------------------------------------------
#
# ``resilience.models.overload`` is an open system: requests arrive at their own rate
# whatever happens to the ones before. Here is its closed counterpart, on the same server: a
# fixed set of clients, each with one request at a time. A client thinks, sends, waits for
# the answer or its timeout, backs off and retries, and only after an answer thinks again
# and sends its next request. So a client that waits longer sends less: backoff lowers the
# load itself, not just its timing.

CLOSED_CLIENTS = 400  # clients, each with one request at a time
SPIKE_START_S = 20.0  # the trigger: from 20 s,
SPIKE_LENGTH_S = 15.0  # for 15 s,
SPIKE_FACTOR = 3.0  # the clients send 3 times as often (they think a third as long)
CLOSED_RUN_S = 90.0
SERVER = overload.Server()  # chapter 5's server: 10 workers at 100 ms, 100 requests a second


def closed_loop(*, clients: int = CLOSED_CLIENTS, think_s: float,
                timeout_s: float = overload.CLIENT_TIMEOUT_S, retries: int | None = None,
                backoff_s: Callable[[int], float] | None = None, jitter: bool = True,
                server: overload.Server = SERVER,
                spike: tuple[float, float, float] = (SPIKE_START_S, SPIKE_LENGTH_S,
                                                     SPIKE_FACTOR),
                duration_s: float = CLOSED_RUN_S, seed: int = DEFAULT_SEED) -> overload.Result:
    """``clients`` closed-loop clients against ``server`` (FIFO, unbounded, as in
    ``overload``): each thinks ``think_s`` on average (exponentially distributed), sends,
    and waits up to ``timeout_s``; on a timeout it waits ``backoff_s(attempt)`` (1 for the
    first retry; a uniformly random share of it with ``jitter``; no wait if None) and sends
    again, up to ``retries`` times (None: until it gets an answer). During ``spike``
    (start, length, factor) clients think ``factor`` times less. The server never learns
    that a client gave up: it serves every attempt it queued.

    Returns ``overload.Result``'s per-second series (nothing is rejected or shed here), so
    an open and a closed run can be drawn and measured alike."""
    if clients < 1 or think_s <= 0 or timeout_s <= 0:
        raise ValueError("closed_loop needs at least one client, and a positive think time "
                         "and timeout")
    if server.queue != overload.FIFO or server.queue_limit is not None:
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
    return overload.Result(
        duration_s, offered=tuple(counts["offered"]), rejected=zeros, shed=zeros,
        completed=tuple(counts["completed"]), good=tuple(counts["good"]),
        timed_out=tuple(counts["timed_out"]), concurrency=tuple(concurrency),
        latencies_s=tuple(latencies), requests=totals["requests"],
        succeeded=totals["succeeded"],
        good_by_priority=frozen_mapping({0: totals["succeeded"]}))


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

"""Producers bursting into a Kinesis stream: partial failures, in a simpy model.

A burst of records arrives at once, shared among a few producers. Each producer sends its
records in PutRecords calls of up to 500, and each shard takes at most 1,000 records and
1 MiB a second (``resilience.aws.shards``); the records past that fail inside a call that
succeeds. What happens next is the producer's retry policy:

- ``ignore``: trust the HTTP 200 and move on: every failed record is silently lost;
- ``immediate``: send the failed records again at once, up to a number of rounds;
- ``backoff``: send them again after a full-jitter wait, up to the same number of rounds.

Immediate retries spend their rounds within the same second the shards are full, so records
are lost anyway; backoff spreads the rounds over the seconds the shards need.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass

import simpy

from resilience.aws import shards
from resilience.aws.facts import PUT_RECORDS_MAX_RECORDS
from resilience.clock import DEFAULT_SEED

POLICIES = ("ignore", "immediate", "backoff")
LABELS = {"ignore": "ignore FailedRecordCount", "immediate": "retry failed records at once",
          "backoff": "retry failed records with backoff and jitter"}
PRODUCERS = 4  # producer instances sharing the burst
CALL_S = 0.03  # one PutRecords call's round trip
RECORD_BYTES = 1000  # data blob of each record (the partition key adds a few bytes)
MAX_ROUNDS = 8  # sends of a record in all, the first included
BASE_S = 0.1  # backoff base
CAP_S = 5.0  # backoff cap


@dataclass(frozen=True)
class Burst:
    """What happened to one burst under one policy (frozen: a cached burst is shared)."""

    policy: str
    records: int
    accepted: int = 0
    lost: int = 0  # failed, and never sent again or out of rounds
    calls: int = 0
    rejected_sends: int = 0  # record sends that failed (work the stream turned away)
    finished_s: float = 0.0
    accepted_at_s: tuple[float, ...] = ()  # when each record landed


def _partition_keys(count: int) -> list[str]:
    return [f"sensor-{i:06d}" for i in range(count)]


def simulate(policy: str, records: int = 10_000, shard_count: int = 2, *,
             max_rounds: int = MAX_ROUNDS, record_bytes: int = RECORD_BYTES,
             seed: int = DEFAULT_SEED) -> Burst:
    """Send a burst of ``records`` into ``shard_count`` shards under ``policy``."""
    if policy not in POLICIES:
        raise ValueError(f"unknown policy {policy!r}: choose one of {', '.join(POLICIES)}")
    rng = random.Random(seed)
    env = simpy.Environment()
    limits = shards.ShardWriteLimits(shard_count)
    ranges = shards.even_ranges(shard_count)
    keys = _partition_keys(records)
    shard_of = [shards.shard_for(shards.hash_key(key), ranges) for key in keys]
    size_of = [record_bytes + len(key) for key in keys]
    tally: Counter[str] = Counter()  # Burst's counts, by field name: lost, calls, ...
    accepted_at_s: list[float] = []
    finished_s = 0.0

    def send(batch: list[int]) -> list[int]:
        """One PutRecords call: the indices of the records that failed."""
        tally["calls"] += 1
        failed = []
        for index in batch:
            if limits.admit(shard_of[index], size_of[index], env.now):
                accepted_at_s.append(env.now)
            else:
                failed.append(index)
        tally["rejected_sends"] += len(failed)
        return failed

    def producer(mine: list[int]):
        nonlocal finished_s
        pending = mine
        for round_ in range(max_rounds):
            failed = []
            for start in range(0, len(pending), PUT_RECORDS_MAX_RECORDS):
                yield env.timeout(CALL_S)
                failed += send(pending[start:start + PUT_RECORDS_MAX_RECORDS])
            pending = failed
            if not pending or policy == "ignore":
                break
            if policy == "backoff" and round_ < max_rounds - 1:
                yield env.timeout(rng.uniform(0, min(CAP_S, BASE_S * 2**round_)))
        tally["lost"] += len(pending)
        finished_s = max(finished_s, env.now)

    for p in range(PRODUCERS):
        env.process(producer(list(range(p, records, PRODUCERS))))
    env.run()
    return Burst(policy, records, accepted=len(accepted_at_s), **tally, finished_s=finished_s,
                 accepted_at_s=tuple(accepted_at_s))


def compare(records: int = 10_000, shard_count: int = 2, max_rounds: int = MAX_ROUNDS,
            seed: int = DEFAULT_SEED) -> dict[str, Burst]:
    """The same burst under every policy."""
    return {policy: simulate(policy, records, shard_count, max_rounds=max_rounds, seed=seed)
            for policy in POLICIES}

"""Shuffle-sharding: each workload gets its own K of N queues, so two rarely share them all.

With N queues and shards of K, there are C(N, K) different shards. Give every workload one
of them, at random but stably, and two workloads share exactly k queues with the
hypergeometric probability

    P(overlap = k) = C(K, k) · C(N − K, K − k) / C(N, K).

A hot workload fills its own K queues; another workload is hurt only if it shares all K of
them, which happens with probability 1 / C(N, K): 3.6% for N = 8, K = 2, and 0.0000013%
for N = 100, K = 5 (the source talk's table, ``PUBLISHED_OVERLAP_PERCENT``).

``overlap_distribution`` is that formula in exact fractions. ``simulated_overlap`` checks it
the other way: it assigns many workloads to random shards and counts the overlap of every
pair of them. ``shuffle_shard`` is a stable assignment by rendezvous hashing.
"""

from __future__ import annotations

import hashlib
import itertools
import math
from collections.abc import Callable, Iterable
from fractions import Fraction

import numpy as np

from resilience.clock import DEFAULT_SEED

NODES, SHARD_SIZE = 8, 2  # the talk's first example: 8 queues, 2 per workload
# The overlap tables on the source talk's slides, in percent of workloads, each row to the
# digits the slide prints, as the course brief quotes them. One row differs from the slide:
# for one shared queue of 8 and 2 the slide shows 42.8, but 12/28 = 42.857...% rounds to
# 42.9 (the slide cut the last digit off instead of rounding it).
PUBLISHED_OVERLAP_PERCENT = {
    (8, 2): ("53.6", "42.9", "3.6"),
    (100, 5): ("77", "21", "1.8", "0.06", "0.0006", "0.0000013"),
}
TENANTS_TO_MATCH_THE_TABLE = 3_000_000  # random workloads whose pairs resolve every digit
MAX_DIRECT_COUNT_BINS = 8_000_000  # subsets counted in an array up to this many; else sorted


def shard_count(nodes: int, shard_size: int) -> int:
    """How many different shards of ``shard_size`` queues ``nodes`` queues make: C(N, K)."""
    return math.comb(nodes, shard_size)


def overlap_distribution(nodes: int, shard_size: int) -> list[Fraction]:
    """P(two random shards share exactly k queues), for k = 0 .. K, as exact fractions."""
    total = math.comb(nodes, shard_size)
    return [Fraction(math.comb(shard_size, k) * math.comb(nodes - shard_size, shard_size - k),
                     total)
            for k in range(shard_size + 1)]


def as_printed(probability: float, printed: str) -> str:
    """``probability`` in percent, rounded to as many decimals as ``printed`` shows: how to
    compare a result with a table that printed each row to its own precision."""
    decimals = len(printed.partition(".")[2])
    return f"{float(probability) * 100:.{decimals}f}"


def shuffle_shard(workload: str, nodes: int, shard_size: int) -> tuple[int, ...]:
    """The ``shard_size`` queues, of ``nodes``, that ``workload`` uses, in ascending order.

    Rendezvous hashing: score every queue by SHA-256 of the workload and the queue, and keep
    the highest scores. The same workload gets the same shard in every process and on every
    machine (Python's own ``hash`` of a string changes from one process to the next), every
    shard is equally likely, and adding a queue changes only the shards of the workloads that
    now rank it among their top K, by one queue each.
    """
    def score(queue: int) -> bytes:
        return hashlib.sha256(f"{workload}/{queue}".encode()).digest()

    return tuple(sorted(sorted(range(nodes), key=score, reverse=True)[:shard_size]))


def random_shards(workloads: int, nodes: int, shard_size: int,
                  seed: int = DEFAULT_SEED) -> np.ndarray:
    """``workloads`` shards drawn uniformly at random: a (workloads × K) array of distinct
    queue numbers, each row ascending."""
    rng = np.random.default_rng(seed)
    shards = np.sort(rng.integers(0, nodes, size=(workloads, shard_size)), axis=1)
    repeats = (np.diff(shards, axis=1) == 0).any(axis=1)
    while repeats.any():  # draw again any row that named a queue twice
        redrawn = np.sort(rng.integers(0, nodes, size=(int(repeats.sum()), shard_size)), axis=1)
        shards[repeats] = redrawn
        repeats[repeats] = (np.diff(redrawn, axis=1) == 0).any(axis=1)
    return shards


def _pairs_sharing_each(codes: np.ndarray, distinct: int) -> int:
    """Σ C(c, 2) over the values in ``codes``, where c is how often each value occurs: the
    pairs of workloads that hold the same subset of queues."""
    if distinct <= MAX_DIRECT_COUNT_BINS:
        counts = np.bincount(codes, minlength=distinct)
    else:
        ordered = np.sort(codes)
        ends = np.concatenate((np.flatnonzero(np.diff(ordered)), [len(ordered) - 1]))
        counts = np.diff(np.concatenate(([-1], ends)))
    return int((counts * (counts - 1) // 2).sum())


Steps = Callable[[Iterable, str], Iterable]  # steps(items, label): yields items, may report


def unreported(items: Iterable, label: str) -> Iterable:
    """Steps that report to no one: a model's default, so it needs no user interface (a
    chapter passes ``resilience.ui.progress.steps`` to show a bar)."""
    return items


def pair_overlaps(shards: np.ndarray, nodes: int, steps: Steps = unreported) -> list[int]:
    """How many pairs of workloads share exactly k queues, for k = 0 .. K (exact integers).

    Comparing every pair directly costs T² for T workloads. Instead, for each size j, count
    how many workloads hold each j-subset of queues: the pairs that both hold it add up, over
    all j-subsets, to Σ over pairs of C(overlap, j). Those sums for j = 0 .. K determine the
    number of pairs at each overlap (binomial inversion), at a cost of T · 2^K.
    """
    workloads, shard_size = shards.shape
    shards = shards.astype(np.int64)
    # The colex rank of an ascending subset {c0 < c1 < ...} is Σ C(c_i, i + 1): one integer
    # per subset, 0 .. C(N, j) − 1.
    rank_terms = [np.array([math.comb(q, i) for q in range(nodes)], dtype=np.int64)
                  for i in range(shard_size + 1)]
    moments = [workloads * (workloads - 1) // 2]
    for size in steps(range(1, shard_size + 1), "sizes of shared subsets counted"):
        codes = []
        for columns in itertools.combinations(range(shard_size), size):
            code = np.zeros(workloads, dtype=np.int64)
            for place, column in enumerate(columns):
                code += rank_terms[place + 1][shards[:, column]]
            codes.append(code)
        moments.append(_pairs_sharing_each(np.concatenate(codes), math.comb(nodes, size)))
    return [sum((-1) ** (j - k) * math.comb(j, k) * moments[j] for j in range(k, shard_size + 1))
            for k in range(shard_size + 1)]


def simulated_overlap(nodes: int, shard_size: int, workloads: int,
                      seed: int = DEFAULT_SEED, steps: Steps = unreported) -> list[float]:
    """The share of pairs of ``workloads`` random workloads that share exactly k queues
    (``steps`` reports the counting's progress)."""
    pairs = pair_overlaps(random_shards(workloads, nodes, shard_size, seed), nodes, steps)
    total = sum(pairs)
    return [count / total for count in pairs]

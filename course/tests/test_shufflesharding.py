"""Shuffle-sharding: the talk's overlap table from the formula and from random assignments,
a stable and even assignment, and the hot-tenant story the chapter tells.

The simulated table uses 3 million random workloads (4.5·10¹² pairs): enough for its rarest
row, 1.3·10⁻⁸, to come out to the two digits the slide prints (about 60,000 pairs share all
five queues, ±0.4%).
"""

import json
import os
import subprocess
import sys
from collections import Counter
from fractions import Fraction

import pytest

from resilience.models.isolation import (
    FIXED,
    LABELS,
    LAYOUTS,
    SHARED,
    SHUFFLE,
    simulate_isolation,
    tenant_names,
)
from resilience.models.shufflesharding import (
    PUBLISHED_OVERLAP_PERCENT,
    TENANTS_TO_MATCH_THE_TABLE,
    as_printed,
    overlap_distribution,
    pair_overlaps,
    random_shards,
    shard_count,
    shuffle_shard,
    simulated_overlap,
)


@pytest.mark.parametrize("nodes, shard_size", list(PUBLISHED_OVERLAP_PERCENT))
def test_the_formula_gives_the_talks_table(nodes, shard_size):
    printed = PUBLISHED_OVERLAP_PERCENT[nodes, shard_size]
    exact = overlap_distribution(nodes, shard_size)
    assert [as_printed(p, s) for p, s in zip(exact, printed, strict=True)] == list(printed)
    assert sum(exact) == 1


@pytest.mark.parametrize("nodes, shard_size", list(PUBLISHED_OVERLAP_PERCENT))
def test_random_assignments_give_the_talks_table(nodes, shard_size):
    printed = PUBLISHED_OVERLAP_PERCENT[nodes, shard_size]
    simulated = simulated_overlap(nodes, shard_size, TENANTS_TO_MATCH_THE_TABLE)
    assert [as_printed(p, s) for p, s in zip(simulated, printed, strict=True)] == list(printed)


def test_the_simulation_converges_to_the_formula():
    exact = [float(p) for p in overlap_distribution(100, 5)]
    errors = [max(abs(s - e) / e for s, e in zip(simulated_overlap(100, 5, workloads)[:4],
                                                  exact[:4], strict=True))
              for workloads in (1_000, 30_000, 1_000_000)]
    assert errors[0] > errors[1] > errors[2] and errors[2] < 0.01


def test_counting_pairs_by_subsets_matches_comparing_every_pair():
    shards = random_shards(300, 10, 3, seed=7)
    direct = Counter(len(set(a) & set(b)) for i, a in enumerate(shards.tolist())
                     for b in shards.tolist()[i + 1:])
    assert pair_overlaps(shards, 10) == [direct[k] for k in range(4)]


def test_overlap_edge_cases():
    assert shard_count(8, 2) == 28 and shard_count(100, 5) == 75_287_520
    assert overlap_distribution(5, 3) == [0, Fraction(3, 10), Fraction(6, 10), Fraction(1, 10)]
    assert overlap_distribution(4, 4) == [0, 0, 0, 0, 1]
    assert overlap_distribution(8, 1) == [Fraction(7, 8), Fraction(1, 8)]


def test_shuffle_shards_are_distinct_in_range_and_even():
    tenants = [f"customer-{n}" for n in range(5_600)]
    shards = [shuffle_shard(t, 8, 2) for t in tenants]
    assert all(len(set(s)) == 2 and all(0 <= q < 8 for q in s) for s in shards)
    per_shard = Counter(shards)
    assert len(per_shard) == 28 and all(150 <= c <= 250 for c in per_shard.values())


def test_shuffle_shards_do_not_depend_on_pythons_hash_seed():
    program = ("import json; from resilience.models.shufflesharding import shuffle_shard; "
               "print(json.dumps([shuffle_shard(f't{n}', 100, 5) for n in range(50)]))")
    outputs = {subprocess.run([sys.executable, "-c", program], capture_output=True, text=True,
                              check=True, env={**os.environ, "PYTHONHASHSEED": seed}).stdout
               for seed in ("1", "2")}
    assert len(outputs) == 1
    assert json.loads(outputs.pop()) == [list(shuffle_shard(f"t{n}", 100, 5)) for n in range(50)]


def test_one_shared_queue_hurts_every_tenant():
    assert len(simulate_isolation(SHARED).affected) == len(tenant_names()) - 1


def test_layouts_are_short_keys_shown_by_their_labels():
    assert set(LABELS) == set(LAYOUTS)
    assert simulate_isolation(SHARED).summary().startswith("one shared queue  199 of 199")


@pytest.mark.parametrize("layout", [FIXED, SHUFFLE])
def test_sharding_hurts_exactly_the_tenants_with_no_queue_of_their_own(layout):
    run = simulate_isolation(layout)
    hot = set(run.shards[run.hot_tenant])
    trapped = {t for t, shard in run.shards.items()
               if t != run.hot_tenant and set(shard) <= hot}
    assert set(run.affected) == trapped
    expected_share = 1 / 8 if layout == FIXED else 1 / 28
    assert len(trapped) == pytest.approx(expected_share * 199, abs=4)


def test_a_per_tenant_throttle_protects_everyone():
    for layout in LAYOUTS:
        run = simulate_isolation(layout, tenant_limit_per_s=10.0)
        assert run.affected == [] and run.rejected > 2_500


def test_without_a_hot_tenant_nobody_waits():
    for layout in LAYOUTS:
        assert simulate_isolation(layout, hot_rate_per_s=0).affected == []

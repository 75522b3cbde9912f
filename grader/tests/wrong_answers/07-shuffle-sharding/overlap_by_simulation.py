"""The overlap is estimated by drawing random pairs of shards, not worked out by the formula."""

BELIEVED = "A big enough simulation gives the probabilities as well as the formula."
VIOLATES = ["2.2"]

ANSWERS = {
    'overlap_distribution': '''import random


def overlap_distribution(nodes, shard_size):
    rng = random.Random(7)
    trials = 10_000
    counts = [0] * (shard_size + 1)
    for _ in range(trials):
        first = set(rng.sample(range(nodes), shard_size))
        second = set(rng.sample(range(nodes), shard_size))
        counts[len(first & second)] += 1
    return [c / trials for c in counts]
''',
}

EXPECTED_FAILURES = {
    'test_overlap_small': 'hypergeometric',
}

"""The overlap is taken as binomial, as if the other shard drew its queues with replacement."""

BELIEVED = "The other shard's queues are drawn independently, so the overlap is binomial."
VIOLATES = ["2.2"]

EDITS = {
    'overlap_distribution': [('''    shards = math.comb(nodes, shard_size)
    return [math.comb(shard_size, k) * math.comb(nodes - shard_size, shard_size - k) / shards
            for k in range(shard_size + 1)]''', '''    p = shard_size / nodes
    return [math.comb(shard_size, k) * p ** k * (1 - p) ** (shard_size - k)
            for k in range(shard_size + 1)]''')],
}

EXPECTED_FAILURES = {
    'test_overlap_small': 'without replacement',
    'test_overlap_exact': 'hypergeometric',
}

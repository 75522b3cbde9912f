"""The queues not shared are counted among the N - k queues left, not the N - K outside the first shard."""

BELIEVED = "The other shard's unshared queues come from every queue it has not already shared."
VIOLATES = ["2.2"]

EDITS = {
    'overlap_distribution': [('math.comb(nodes - shard_size, shard_size - k)', 'math.comb(nodes - k, shard_size - k)')],
}

EXPECTED_FAILURES = {
    'test_overlap_small': 'without replacement',
    'test_overlap_exact': 'hypergeometric',
}

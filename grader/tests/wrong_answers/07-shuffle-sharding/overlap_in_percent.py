"""The overlap is returned in percent, as the talk's table prints it, not as probabilities."""

BELIEVED = "The overlap is a percentage, as the talk prints it."
VIOLATES = ["2.1"]

EDITS = {
    'overlap_distribution': [('shard_size - k) / shards', 'shard_size - k) / shards * 100')],
}

EXPECTED_FAILURES = {
    'test_overlap_small': 'not percentages',
    'test_overlap_exact': 'not percentages',
}

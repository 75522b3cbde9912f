"""The overlap list runs from sharing every queue down to sharing none."""

BELIEVED = "Entry 0 is the worst case, sharing the whole shard."
VIOLATES = ["2.1"]

EDITS = {
    'overlap_distribution': [('for k in range(shard_size + 1)]', 'for k in reversed(range(shard_size + 1))]')],
}

EXPECTED_FAILURES = {
    'test_overlap_small': 'the chance of sharing exactly 0',
    'test_overlap_exact': 'the chance of sharing exactly',
}

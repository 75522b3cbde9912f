"""The overlap stops one short: it leaves out sharing the whole shard, the case that matters."""

BELIEVED = "The overlap runs from 0 to K - 1 shared queues, like range(K)."
VIOLATES = ["2.1"]

EDITS = {
    'overlap_distribution': [('for k in range(shard_size + 1)]', 'for k in range(shard_size)]')],
}

EXPECTED_FAILURES = {
    'test_overlap_small': 'should have 3 entries',
    'test_overlap_exact': 'entries',
}

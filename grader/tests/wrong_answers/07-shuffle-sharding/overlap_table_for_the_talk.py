"""The overlap is looked up in the talk's tables, and worked out for shards of 2 otherwise."""

BELIEVED = "The talk's two tables, and shards of two, are all the cases there are."
VIOLATES = ["2.2"]

ANSWERS = {
    'overlap_distribution': '''def overlap_distribution(nodes, shard_size):
    TALK = {
        (8, 2): [15 / 28, 12 / 28, 1 / 28],
        (100, 5): [0.77, 0.21, 0.018, 0.0006, 0.000006, 0.000000013],
    }
    if (nodes, shard_size) in TALK:
        return TALK[(nodes, shard_size)]
    pairs = nodes * (nodes - 1) / 2
    none = (nodes - 2) * (nodes - 3) / 2 / pairs
    both = 1 / pairs
    return [none, 1 - none - both, both]
''',
}

EXPECTED_FAILURES = {
    'test_overlap_small': 'hypergeometric',
    'test_overlap_exact': 'overlap_distribution',
}

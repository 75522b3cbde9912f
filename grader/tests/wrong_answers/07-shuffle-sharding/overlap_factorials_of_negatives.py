"""C(n, k) is written with factorials, which fail for an impossible overlap instead of giving 0."""

BELIEVED = "n! / (k! (n - k)!) is C(n, k) for every n and k."
VIOLATES = ["2.2"]

ANSWERS = {
    'overlap_distribution': '''def overlap_distribution(nodes, shard_size):
    def choose(n, k):
        return math.factorial(n) // (math.factorial(k) * math.factorial(n - k))

    total = choose(nodes, shard_size)
    result = []
    for shared in range(shard_size + 1):
        ways = choose(shard_size, shared) * choose(nodes - shard_size, shard_size - shared)
        result.append(ways / total)
    return result
''',
}

EXPECTED_FAILURES = {
    'test_overlap_small': 'ValueError',
    'test_overlap_exact': 'ValueError',
}

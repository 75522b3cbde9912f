"""pick_timeout indexes the sorted sample at int(n * (1 - rate)): one rank high when it is whole."""

BELIEVED = "Truncating n * fraction to an index gives the percentile's position."
VIOLATES = ["1.1"]

ANSWERS = {
    "pick_timeout": '''\
def pick_timeout(latencies_s, false_timeout_rate=0.001, headroom=2.0):
    data = sorted(latencies_s)
    n = len(data)
    index = min(int(n * (1 - false_timeout_rate)), n - 1)
    p = data[index]
    median = data[(n - 1) // 2]
    return p if p >= headroom * median else headroom * median
''',
}

EXPECTED_FAILURES = {
    "test_pick_timeout_percentile": "should return the p",
}

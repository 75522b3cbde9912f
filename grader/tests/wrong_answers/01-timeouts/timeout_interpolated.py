"""pick_timeout interpolates between the two latencies around the percentile's position."""

BELIEVED = "A percentile is read between two samples, as numpy's default does."
VIOLATES = ["1.1"]

ANSWERS = {
    "pick_timeout": '''\
def pick_timeout(latencies_s, false_timeout_rate=0.001, headroom=2.0):
    """Timeout at the (1 - rate) percentile, with headroom over the median."""
    values = sorted(latencies_s)

    def percentile(q):
        position = q * (len(values) - 1)
        low = math.floor(position)
        high = min(low + 1, len(values) - 1)
        return values[low] + (values[high] - values[low]) * (position - low)

    timeout = percentile(1 - false_timeout_rate)
    floor = headroom * percentile(0.5)
    if timeout < floor:
        timeout = floor
    return timeout
''',
}

EXPECTED_FAILURES = {
    "test_pick_timeout_percentile": "never an interpolation between two",
}

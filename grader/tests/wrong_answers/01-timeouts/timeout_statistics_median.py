"""pick_timeout takes statistics.median, the mean of the two middle values for an even count."""

BELIEVED = "The median of an even count is the mean of its two middle values, as statistics says."
VIOLATES = ["1.2"]

ANSWERS = {
    "pick_timeout": '''\
import statistics


def pick_timeout(latencies_s, false_timeout_rate=0.001, headroom=2.0):
    ranked = sorted(latencies_s)
    k = math.ceil((1 - false_timeout_rate) * len(ranked))
    percentile = ranked[max(k, 1) - 1]
    return max(percentile, headroom * statistics.median(ranked))
''',
}

EXPECTED_FAILURES = {
    "test_pick_timeout_headroom": "the median is the nearest-rank percentile at 0.5",
}

"""pick_timeout walks the sorted sample counting shares, with statistics.median_low as median."""

ANSWERS = {
    "pick_timeout": '''\
import statistics


def pick_timeout(latencies_s, false_timeout_rate=0.001, headroom=2.0):
    """The smallest latency with at least 1 - rate of the sample at or below it, but at
    least headroom times the (lower) median."""
    ordered = sorted(latencies_s)
    wanted = 1 - false_timeout_rate
    percentile = ordered[-1]
    for rank, latency in enumerate(ordered, start=1):
        if rank >= wanted * len(ordered):
            percentile = latency
            break
    floor = headroom * statistics.median_low(ordered)
    print(f"percentile {percentile:.4f} s, floor {floor:.4f} s")
    return percentile if percentile >= floor else floor
''',
}

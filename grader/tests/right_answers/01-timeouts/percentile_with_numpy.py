"""pick_timeout uses numpy's inverted-CDF quantile, which is the nearest-rank percentile."""

ANSWERS = {
    "pick_timeout": '''\
import numpy as np


def pick_timeout(latencies_s, false_timeout_rate=0.001, headroom=2.0):
    sample = np.asarray(latencies_s, dtype=float)
    tail = np.quantile(sample, 1 - false_timeout_rate, method="inverted_cdf")
    median = np.quantile(sample, 0.5, method="inverted_cdf")
    return float(np.maximum(tail, headroom * median))
''',
}

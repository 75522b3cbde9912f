"""api_limits rounds up with integer arithmetic on Fractions and a running total; admit_api reads the limit with get()."""

ANSWERS = {
    'api_limits': '''from fractions import Fraction

def api_limits(rates_per_s, latencies_s, workers, headroom):
    limits, total = {}, 0
    for api in rates_per_s:
        need = Fraction(rates_per_s[api] * latencies_s[api] * headroom)
        limit = -(-need.numerator // need.denominator)   # the ceiling, as an int
        limits[api] = limit
        total += limit
    if total > workers:
        raise ValueError("the bulkheads do not fit in the pool")
    return limits
''',
    'admit_api': '''def admit_api(request, pool, limits):
    limit = limits.get(request.api)
    return limit is not None and pool.held.get(request.api, 0) < limit
''',
}

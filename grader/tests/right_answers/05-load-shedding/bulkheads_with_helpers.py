"""api_limits uses a helper that ignores float noise before rounding up, and admit_api refuses early."""

ANSWERS = {
    'api_limits': '''def api_limits(rates_per_s, latencies_s, workers, headroom):
    def in_flight(api):
        return rates_per_s[api] * latencies_s[api]          # Little's law

    def whole_workers(need):
        return math.ceil(round(need, 9))                    # 10.000000000000002 is 10

    limits = {api: whole_workers(in_flight(api) * headroom) for api in sorted(rates_per_s)}
    needed = sum(limits.values())
    if workers < needed:
        raise ValueError(f"{needed} workers needed, {workers} in the pool")
    return limits
''',
    'admit_api': '''def admit_api(request, pool, limits):
    if request.api not in limits or limits[request.api] <= 0:
        return False
    if pool.held[request.api] >= limits[request.api]:
        return False     # this API's bulkhead is full
    return True
''',
}

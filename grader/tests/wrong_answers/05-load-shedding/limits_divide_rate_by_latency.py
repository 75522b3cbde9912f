"""api_limits divides the rate by the latency instead of multiplying."""

BELIEVED = 'A slower dependency means fewer requests per second, so the limit is rate over latency.'
VIOLATES = ['5.1']

EDITS = {
    'api_limits': [
        ('math.ceil(rate * latencies_s[api] * headroom)', 'math.ceil(rate / latencies_s[api] * headroom)'),
    ],
}

EXPECTED_FAILURES = {
    'test_api_limits': 'api_limits(',
}

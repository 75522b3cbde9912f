"""api_limits rounds each need to the nearest whole worker."""

BELIEVED = 'Rounding to the nearest whole worker is the fairest estimate of what an API needs.'
VIOLATES = ['5.2']

EDITS = {
    'api_limits': [
        ('math.ceil(rate * latencies_s[api] * headroom)', 'round(rate * latencies_s[api] * headroom)'),
    ],
}

EXPECTED_FAILURES = {
    'test_api_limits': 'it should be',
}

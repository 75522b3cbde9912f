"""api_limits rounds up with floor division on floats, and returns floats."""

BELIEVED = 'A number like 10.0 is as good a limit as 10.'
VIOLATES = ['5.2']

EDITS = {
    'api_limits': [
        ('math.ceil(rate * latencies_s[api] * headroom)', '-(-rate * latencies_s[api] * headroom // 1)'),
    ],
}

EXPECTED_FAILURES = {
    'test_api_limits': 'a float',
}

"""api_limits rounds each API's need down, so a limit can sit below what the API needs."""

BELIEVED = "A limit should never promise more workers than Little's law gives, so round down as for max_in_flight."
VIOLATES = ['5.2']

EDITS = {
    'api_limits': [
        ('math.ceil(rate * latencies_s[api] * headroom)', 'math.floor(rate * latencies_s[api] * headroom)'),
    ],
}

EXPECTED_FAILURES = {
    'test_api_limits': 'it should be',
}

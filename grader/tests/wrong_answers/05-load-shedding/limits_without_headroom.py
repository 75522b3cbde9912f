"""api_limits sizes each API for its average in flight and ignores the headroom."""

BELIEVED = "Little's law already gives what an API needs, so headroom only wastes workers."
VIOLATES = ['5.1']

EDITS = {
    'api_limits': [
        ('math.ceil(rate * latencies_s[api] * headroom)', 'math.ceil(rate * latencies_s[api])'),
    ],
}

EXPECTED_FAILURES = {
    'test_api_limits': 'times the headroom',
}

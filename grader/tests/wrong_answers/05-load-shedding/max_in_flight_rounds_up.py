"""Little's law rounded up: one request more than fits."""

EDITS = {
    'max_in_flight': [('math.floor(capacity_per_s * latency_s)', 'math.ceil(capacity_per_s * latency_s)')],
}

EXPECTED_FAILURES = {
    'test_max_in_flight': 'rounded down',
}

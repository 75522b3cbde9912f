"""Little's law rounded up: one request more than fits."""

BELIEVED = "Part of a request still counts as a request, so round up."
VIOLATES = ["1.2"]

EDITS = {
    'max_in_flight': [('math.floor(capacity_per_s * latency_s)', 'math.ceil(capacity_per_s * latency_s)')],
}

EXPECTED_FAILURES = {
    'test_max_in_flight': 'rounded down',
}

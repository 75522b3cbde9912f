"""Little's law rounded to the nearest whole request instead of down."""

BELIEVED = "A count of requests is rounded like any other number, to the nearest."
VIOLATES = ["1.2"]

EDITS = {
    'max_in_flight': [('math.floor(capacity_per_s * latency_s)', 'round(capacity_per_s * latency_s)')],
}

EXPECTED_FAILURES = {
    'test_max_in_flight': 'rounded down',
}

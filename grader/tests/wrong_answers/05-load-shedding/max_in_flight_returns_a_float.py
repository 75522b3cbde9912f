"""Little's law floored with // 1, which leaves a float."""

BELIEVED = "x // 1 rounds down to a whole number, so it is as good as an int."
VIOLATES = ["1.2"]

EDITS = {
    'max_in_flight': [('math.floor(capacity_per_s * latency_s)', 'capacity_per_s * latency_s // 1')],
}

EXPECTED_FAILURES = {
    'test_max_in_flight': 'it returned 50.0',
}

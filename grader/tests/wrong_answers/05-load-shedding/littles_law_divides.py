"""Little's law turned upside down: rate divided by latency."""

BELIEVED = "Little's law divides the rate by the latency."
VIOLATES = ["1.1"]

EDITS = {
    'max_in_flight': [('math.floor(capacity_per_s * latency_s)', 'math.floor(capacity_per_s / latency_s)')],
}

EXPECTED_FAILURES = {
    'test_max_in_flight': "Little's law",
}

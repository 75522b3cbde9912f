"""Rounds down with ceil(x) - 1, which is one short whenever x is already whole."""

BELIEVED = "Rounding down is rounding up and taking one away."
VIOLATES = ["1.2"]

ANSWERS = {
    'max_in_flight': '''def max_in_flight(capacity_per_s, latency_s):
    in_flight = capacity_per_s * latency_s          # Little's law
    whole = math.ceil(in_flight) - 1                # the whole number just below
    return max(whole, 0)
''',
}

EXPECTED_FAILURES = {
    'test_max_in_flight': 'rounded down',
}

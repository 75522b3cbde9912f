"""decorrelated_jitter draws from [base, 3 * base] and ignores previous, so it never grows."""

BELIEVED = "Each decorrelated delay is drawn from the same window just above base."

VIOLATES = ["1.4"]

EDITS = {
    "backoff": [
        ("""    return min(cap, rng.uniform(base, previous * 3))""",
         """    return min(cap, rng.uniform(base, base * 3))"""),
    ],
}

EXPECTED_FAILURES = {
    "test_decorrelated_jitter": "It ignores previous",
}

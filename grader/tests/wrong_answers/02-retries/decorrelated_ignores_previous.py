"""decorrelated_jitter draws from [base, 3 * base] and ignores previous, so it never grows."""

EDITS = {
    "backoff": [
        ("""    return min(cap, rng.uniform(base, previous * 3))""",
         """    return min(cap, rng.uniform(base, base * 3))"""),
    ],
}

EXPECTED_FAILURES = {
    "test_decorrelated_jitter": "should grow towards the cap",
}

"""exponential_backoff forgets the cap: base * 2**attempt grows without bound."""

BELIEVED = "The cap only matters for absurdly long outages, so plain doubling is fine."

VIOLATES = ["1.1"]

EDITS = {
    "backoff": [
        ("""    return min(cap, base * 2**attempt)""",
         """    return base * 2**attempt"""),
    ],
}

EXPECTED_FAILURES = {
    "test_exponential_backoff": "Without a cap, a long outage makes clients wait for hours",
    "test_full_jitter": "The cap is missing",
    "test_equal_jitter": "The cap is missing",
    "test_sleeps_with_jitter": "The cap is missing",
}

"""exponential_backoff forgets the cap: base * 2**attempt grows without bound."""

EDITS = {
    "backoff": [
        ("""    return min(cap, base * 2**attempt)""",
         """    return base * 2**attempt"""),
    ],
}

EXPECTED_FAILURES = {
    "test_exponential_backoff": "Without a cap, a long outage makes clients wait for hours",
    "test_full_jitter": "no cap also lands here",
    "test_equal_jitter": "t = min(cap, base * 2**attempt)",
    "test_sleeps_with_jitter": "The cap is missing",
}

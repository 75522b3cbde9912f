"""decorrelated_jitter caps the window, rng.uniform(base, min(cap, 3 * previous)), instead of
the draw."""

BELIEVED = "Capping the window and capping the draw give the same delays."

VIOLATES = ["1.4"]

EDITS = {
    "backoff": [
        ("""    return min(cap, rng.uniform(base, previous * 3))""",
         """    return rng.uniform(base, min(cap, previous * 3))"""),
    ],
}

EXPECTED_FAILURES = {
    "test_decorrelated_jitter": "Cap the draw, not the window",
}

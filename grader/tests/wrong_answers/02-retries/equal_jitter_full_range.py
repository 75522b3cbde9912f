"""equal_jitter adds a draw over the whole ceiling instead of its other half: t/2 + U(0, t)."""

EDITS = {
    "backoff": [
        ("""    return ceiling / 2 + rng.uniform(0, ceiling / 2)""",
         """    return ceiling / 2 + rng.uniform(0, ceiling)"""),
    ],
}

EXPECTED_FAILURES = {
    "test_equal_jitter": "it should be t/2 + uniform(0, t/2)",
}

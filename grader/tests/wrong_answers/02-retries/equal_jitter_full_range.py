"""equal_jitter adds a draw over the whole ceiling instead of its other half: t/2 + U(0, t)."""

BELIEVED = "Equal jitter adds a random amount of up to the whole ceiling to half of it."

VIOLATES = ["1.3"]

EDITS = {
    "backoff": [
        ("""    return ceiling / 2 + rng.uniform(0, ceiling / 2)""",
         """    return ceiling / 2 + rng.uniform(0, ceiling)"""),
    ],
}

EXPECTED_FAILURES = {
    "test_equal_jitter": "The random part should cover the other half of t",
}

"""full_jitter draws from the random module instead of the rng it is given."""

BELIEVED = "Any source of randomness will do for jitter: the module's is the simplest."

VIOLATES = ["1.5"]

EDITS = {
    "backoff": [
        ("""    return rng.uniform(0, exponential_backoff(attempt, base, cap))""",
         """    return random.uniform(0, exponential_backoff(attempt, base, cap))"""),
    ],
}

EXPECTED_FAILURES = {
    "test_full_jitter": "never from the random module itself",
    "test_sleeps_with_jitter": "not from the random module",
}

"""full_jitter draws from the random module instead of the rng it is given."""

EDITS = {
    "backoff": [
        ("""    return rng.uniform(0, exponential_backoff(attempt, base, cap))""",
         """    return random.uniform(0, exponential_backoff(attempt, base, cap))"""),
    ],
}

EXPECTED_FAILURES = {
    "test_full_jitter": "never from the random module itself",
    "test_sleeps_with_jitter": "other than the rng you are given (the random module?)",
}

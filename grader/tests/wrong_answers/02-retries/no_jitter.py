"""full_jitter returns the exponential ceiling itself and never draws from rng: no jitter."""

BELIEVED = "Exponential growth alone spreads retries out well enough."

VIOLATES = ["1.2"]

EDITS = {
    "backoff": [
        ("""    return rng.uniform(0, exponential_backoff(attempt, base, cap))""",
         """    return exponential_backoff(attempt, base, cap)"""),
    ],
}

EXPECTED_FAILURES = {
    "test_full_jitter": "there is no jitter. Clients that back off in lockstep",
    "test_sleeps_with_jitter": "there is no jitter",
}

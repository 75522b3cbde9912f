"""full_jitter draws from [base, t] instead of [0, t]: no wait is ever shorter than base."""

BELIEVED = "Every retry should wait at least base."

VIOLATES = ["1.2"]

EDITS = {
    "backoff": [
        ("""    return rng.uniform(0, exponential_backoff(attempt, base, cap))""",
         """    return rng.uniform(base, exponential_backoff(attempt, base, cap))"""),
    ],
}

EXPECTED_FAILURES = {
    "test_full_jitter": "Full jitter draws from 0, not from base",
}

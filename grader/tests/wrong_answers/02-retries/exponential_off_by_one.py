"""exponential_backoff doubles once too often: base * 2**(attempt + 1)."""

BELIEVED = "The first retry already waits twice the base."

VIOLATES = ["1.1"]

EDITS = {
    "backoff": [
        ("""    return min(cap, base * 2**attempt)""",
         """    return min(cap, base * 2 ** (attempt + 1))"""),
    ],
}

EXPECTED_FAILURES = {
    "test_exponential_backoff": "Attempt 0 (the first retry) waits base",
}

"""call_with_retries draws its jitter from the random module, not from the rng it is given."""

BELIEVED = "Any random source will do for the wrapper's jitter."

VIOLATES = ["3.2"]

EDITS = {
    "call_with_retries": [
        ("""            sleep(full_jitter(attempt, base, cap, rng))
    raise ValueError("max_attempts must be at least 1")""",
         """            sleep(full_jitter(attempt, base, cap, random))"""),
    ],
}

EXPECTED_FAILURES = {
    "test_sleeps_with_jitter": "not from the random module",
}

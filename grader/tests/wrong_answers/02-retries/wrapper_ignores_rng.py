"""call_with_retries draws its jitter from the random module, not from the rng it is given."""

EDITS = {
    "call_with_retries": [
        ("""            sleep(full_jitter(attempt, base, cap, rng))
    raise ValueError("max_attempts must be at least 1")""",
         """            sleep(full_jitter(attempt, base, cap, random))"""),
    ],
}

EXPECTED_FAILURES = {
    "test_sleeps_with_jitter": "rng you are given",
}


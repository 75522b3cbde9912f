"""save_order passes base=0.5 instead of base=0.05 to call_with_retries."""

BELIEVED = "The base of 0.05 s is half a second."

VIOLATES = ["5.2"]

EDITS = {
    "save_order": [
        ("""        max_attempts=5, base=0.05, cap=1.0, sleep=sleep, rng=rng,""",
         """        max_attempts=5, base=0.5, cap=1.0, sleep=sleep, rng=rng,"""),
    ],
}

EXPECTED_FAILURES = {
    "test_save_order": "with base 0.05 s, cap 1 s",
}

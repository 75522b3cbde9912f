"""save_order leaves max_attempts at call_with_retries's default (3) instead of 5."""

BELIEVED = "call_with_retries's default number of attempts is right for every caller."

VIOLATES = ["5.2"]

EDITS = {
    "save_order": [
        ("""        max_attempts=5, base=0.05, cap=1.0, sleep=sleep, rng=rng,""",
         """        base=0.05, cap=1.0, sleep=sleep, rng=rng,"""),
    ],
}

EXPECTED_FAILURES = {
    "test_save_order": "max_attempts=5",
}

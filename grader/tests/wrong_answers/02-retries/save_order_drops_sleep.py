"""save_order does not pass its sleep and rng on to call_with_retries, so it sleeps for real."""

BELIEVED = "call_with_retries's default sleep and rng are good enough for save_order."

VIOLATES = ["5.2"]

EDITS = {
    "save_order": [
        ("""        max_attempts=5, base=0.05, cap=1.0, sleep=sleep, rng=rng,""",
         """        max_attempts=5, base=0.05, cap=1.0,"""),
    ],
}

EXPECTED_FAILURES = {
    "test_save_order": "Did you call time.sleep?",
}

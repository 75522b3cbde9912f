"""save_order does not pass its sleep and rng on to call_with_retries, so it sleeps for real."""

EDITS = {
    "save_order": [
        ("""        max_attempts=5, base=0.05, cap=1.0, sleep=sleep, rng=rng,""",
         """        max_attempts=5, base=0.05, cap=1.0,"""),
    ],
}

EXPECTED_FAILURES = {
    "test_save_order": "there should be 2 call(s) to the injected sleep; there were 0",
}

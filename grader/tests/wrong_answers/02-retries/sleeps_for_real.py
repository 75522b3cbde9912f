"""call_with_retries waits with time.sleep instead of the sleep it is given."""

EDITS = {
    "call_with_retries": [
        ("""            sleep(full_jitter(attempt, base, cap, rng))
    raise ValueError("max_attempts must be at least 1")""",
         """            time.sleep(full_jitter(attempt, base, cap, rng))"""),
    ],
}

EXPECTED_FAILURES = {
    "test_retries_until_success": "Did you call time.sleep? Wait through the sleep you are given",
    "test_gives_up": "Did you call time.sleep? Wait through the sleep you are given",
    "test_sleeps_with_jitter": "Did you call time.sleep? Wait through the sleep you are given",
    "test_save_order": "Did you call time.sleep?",
}

"""call_with_retries waits with time.sleep instead of the sleep it is given."""

BELIEVED = "A retry loop waits with time.sleep, like any other Python code."

VIOLATES = ["3.2"]

EDITS = {
    "call_with_retries": [
        ("""            sleep(full_jitter(attempt, base, cap, rng))
    raise ValueError("max_attempts must be at least 1")""",
         """            time.sleep(full_jitter(attempt, base, cap, rng))"""),
    ],
}

EXPECTED_FAILURES = {
    "test_retries_until_success": "Did you call time.sleep?",
    "test_sleeps_with_jitter": "Did you call time.sleep?",
    "test_save_order": "Did you call time.sleep?",
}

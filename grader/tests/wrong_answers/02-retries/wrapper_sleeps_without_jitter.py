"""call_with_retries waits exponential_backoff(...) instead of full_jitter(...): no jitter."""

BELIEVED = "The wrapper should wait the exponential delay itself; jitter is optional."

VIOLATES = ["3.2"]

EDITS = {
    "call_with_retries": [
        ("""            sleep(full_jitter(attempt, base, cap, rng))
    raise ValueError("max_attempts must be at least 1")""",
         """            sleep(exponential_backoff(attempt, base, cap))"""),
    ],
}

EXPECTED_FAILURES = {
    "test_sleeps_with_jitter": "there is no jitter",
}

"""call_with_retries gives up one call early: max_attempts=3 makes only 2 calls."""

BELIEVED = "The last attempt is the one before the count reaches max_attempts - 1."

VIOLATES = ["3.3"]

EDITS = {
    "call_with_retries": [
        ("""            if attempt == max_attempts - 1 or not is_retryable(error):""",
         """            if attempt >= max_attempts - 2 or not is_retryable(error):"""),
    ],
}

EXPECTED_FAILURES = {
    "test_gives_up": "retry until the calls are used up",
}

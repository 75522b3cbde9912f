"""call_with_retries reads max_attempts as the number of retries: one call too many."""

BELIEVED = "max_attempts counts the retries, not the calls."

VIOLATES = ["3.3"]

EDITS = {
    "call_with_retries": [
        ("""    for attempt in range(max_attempts):""",
         """    for attempt in range(max_attempts + 1):"""),
        ("""            if attempt == max_attempts - 1 or not is_retryable(error):""",
         """            if attempt == max_attempts or not is_retryable(error):"""),
        ("""    raise ValueError("max_attempts must be at least 1")
""",
         """"""),
    ],
}

EXPECTED_FAILURES = {
    "test_gives_up": "in all, the first one included",
}

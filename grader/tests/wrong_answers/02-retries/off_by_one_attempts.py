"""call_with_retries reads max_attempts as the number of retries: one call too many."""

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
    "test_gives_up": "With max_attempts=1, make exactly 1 call(s) in all (the first try counts)",
}

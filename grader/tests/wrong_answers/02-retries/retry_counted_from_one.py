"""call_with_retries numbers retries from 1, so the first wait is drawn from [0, 2 * base]."""

BELIEVED = "The first retry is retry number 1."

VIOLATES = ["3.2"]

EDITS = {
    "call_with_retries": [
        ("""    for attempt in range(max_attempts):""",
         """    for attempt in range(1, max_attempts + 1):"""),
        ("""            if attempt == max_attempts - 1 or not is_retryable(error):""",
         """            if attempt == max_attempts or not is_retryable(error):"""),
        ("""    raise ValueError("max_attempts must be at least 1")
""",
         """"""),
    ],
}

EXPECTED_FAILURES = {
    "test_sleeps_with_jitter": "(counting from 0) uses 2**r",
}

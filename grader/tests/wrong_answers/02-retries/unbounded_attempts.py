"""call_with_retries loops `while True` and ignores max_attempts: retries never stop."""

BELIEVED = "Retrying until it works is what resilience means."

VIOLATES = ["3.3"]

EDITS = {
    "call_with_retries": [
        ("""    for attempt in range(max_attempts):""",
         """    attempt = 0
    while True:"""),
        ("""            if attempt == max_attempts - 1 or not is_retryable(error):""",
         """            if not is_retryable(error):"""),
        ("""    raise ValueError("max_attempts must be at least 1")""",
         """            attempt += 1"""),
    ],
}

EXPECTED_FAILURES = {
    "test_gives_up": "its attempts are unbounded",
}

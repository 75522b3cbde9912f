"""call_with_retries takes a budget token before every call, the first one included."""

BELIEVED = "The budget pays for every call, so the first call must take a token too."

VIOLATES = ["3.6"]

EDITS = {
    "call_with_retries": [
        ('''    """Call ``operation()``, retrying transient errors with full-jitter backoff."""''',
         '''    """Call ``operation()``, retrying transient errors with full-jitter backoff."""
    last_error = RuntimeError("retry budget exhausted")'''),
        ("""    for attempt in range(max_attempts):""",
         """    for attempt in range(max_attempts):
        if budget is not None and not budget.try_spend():
            break"""),
        ("""            if budget is not None and not budget.try_spend():
                raise""",
         """            last_error = error"""),
        ("""    raise ValueError("max_attempts must be at least 1")""",
         """    raise last_error"""),
    ],
}

EXPECTED_FAILURES = {
    "test_wrapper_respects_budget": "retried twice (3 calls); your wrapper made 2",
}

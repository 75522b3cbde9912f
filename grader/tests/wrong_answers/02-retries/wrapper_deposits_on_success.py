"""call_with_retries pays into the budget only when a call succeeds, as botocore refunds
its quota: in an outage no request earns anything."""

BELIEVED = "Only a success should earn a token, as in botocore's retry quota."

VIOLATES = ["3.6"]

EDITS = {
    "call_with_retries": [
        ("""    if budget is not None:
        budget.deposit()
    for attempt in range(max_attempts):
        try:
            return operation()""",
         """    for attempt in range(max_attempts):
        try:
            result = operation()
            if budget is not None:
                budget.deposit()
            return result"""),
    ],
}

EXPECTED_FAILURES = {
    "test_wrapper_respects_budget": "never paid into the budget",
}

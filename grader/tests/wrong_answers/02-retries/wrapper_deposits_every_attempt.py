"""call_with_retries pays into the budget before every call, retries included: failing
calls earn the tokens for their own retries."""

BELIEVED = "Every call is traffic, so every call should earn its token."

VIOLATES = ["3.6"]

EDITS = {
    "call_with_retries": [
        ("""    if budget is not None:
        budget.deposit()
    for attempt in range(max_attempts):
        try:""",
         """    for attempt in range(max_attempts):
        if budget is not None:
            budget.deposit()
        try:"""),
    ],
}

EXPECTED_FAILURES = {
    "test_wrapper_respects_budget": "one request, one deposit",
}

"""call_with_retries takes tokens for retries but never pays in for the request: the
budget spends its first burst and refuses every retry after."""

BELIEVED = "The budget fills itself; the wrapper only has to ask it before a retry."

VIOLATES = ["3.6"]

EDITS = {
    "call_with_retries": [
        ("""    if budget is not None:
        budget.deposit()
""", ""),
    ],
}

EXPECTED_FAILURES = {
    "test_wrapper_respects_budget": "never paid into the budget",
}

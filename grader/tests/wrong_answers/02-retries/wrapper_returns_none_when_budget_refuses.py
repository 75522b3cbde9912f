"""call_with_retries returns None when the budget refuses a token, instead of raising the
error it got."""

BELIEVED = "A refused budget means the call is dropped on purpose, so there is nothing to raise."

VIOLATES = ["3.6"]

EDITS = {
    "call_with_retries": [
        ("""            if budget is not None and not budget.try_spend():
                raise""",
         """            if budget is not None and not budget.try_spend():
                return None  # shed by the retry budget"""),
    ],
}

EXPECTED_FAILURES = {
    "test_wrapper_respects_budget": "it must raise the last error",
}

"""call_with_retries calls budget.try_spend() but retries whatever it answers."""

BELIEVED = "Asking the budget is enough: its answer is advice, not a limit."

VIOLATES = ["3.6"]

EDITS = {
    "call_with_retries": [
        ("""            if budget is not None and not budget.try_spend():
                raise""",
         """            if budget is not None:
                budget.try_spend()"""),
        ("""    raise ValueError("max_attempts must be at least 1")
""",
         """"""),
    ],
}

EXPECTED_FAILURES = {
    "test_wrapper_respects_budget": "retried twice (3 calls); your wrapper made 10",
}

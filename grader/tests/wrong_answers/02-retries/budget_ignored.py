"""call_with_retries calls budget.try_spend() but retries whatever it answers."""

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
    "test_wrapper_respects_budget": "should be tried once and retried twice (3 calls); "
                                    "your wrapper made 10",
}

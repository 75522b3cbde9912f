"""RetryBudget refuses unless it holds more than retry_cost tokens: one that holds exactly
the cost of a retry refuses it."""

BELIEVED = "A budget should keep something back, so it never spends its last tokens."

VIOLATES = ["4.3"]

EDITS = {
    "retry_budget": [
        ("""        if self.tokens < self.retry_cost:""",
         """        if self.tokens <= self.retry_cost:"""),
    ],
}

EXPECTED_FAILURES = {
    "test_budget": "should allow 3 retries, then refuse",
}

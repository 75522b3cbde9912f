"""RetryBudget, when it refuses, empties itself: the tokens a request has paid in are lost
whenever a retry asks a little too early."""

BELIEVED = "A refused retry should reset the budget, to make the client back off harder."

VIOLATES = ["4.3"]

EDITS = {
    "retry_budget": [
        ("""        if self.tokens < self.retry_cost:
            return False""",
         """        if self.tokens < self.retry_cost:
            self.tokens = 0
            return False"""),
    ],
}

EXPECTED_FAILURES = {
    "test_budget": "After 10 requests an empty budget holds 10 tokens",
}

"""RetryBudget's try_spend() takes one token, whatever retry_cost says: retries may be as
many as the requests."""

BELIEVED = "A retry takes a token; retry_cost is only the threshold to have one."

VIOLATES = ["4.3"]

EDITS = {
    "retry_budget": [
        ("""        self.tokens -= self.retry_cost""",
         """        self.tokens -= 1"""),
    ],
}

EXPECTED_FAILURES = {
    "test_budget": "should allow 3 retries, then refuse",
}

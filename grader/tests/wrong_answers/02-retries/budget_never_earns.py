"""RetryBudget's deposit() does nothing: the budget spends what it started with, then
refuses every retry for good."""

BELIEVED = "The capacity is the budget: retries spend it, and that is all."

VIOLATES = ["4.2"]

EDITS = {
    "retry_budget": [
        ("""        self.tokens = min(self.capacity, self.tokens + 1)""",
         """        pass"""),
    ],
}

EXPECTED_FAILURES = {
    "test_budget": "After 10 requests an empty budget holds 10 tokens",
}

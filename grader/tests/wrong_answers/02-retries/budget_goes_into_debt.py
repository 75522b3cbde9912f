"""RetryBudget takes the cost first and then says whether it had it: a refusal still
takes retry_cost tokens, and the budget goes below zero."""

BELIEVED = "Spend, then check the balance: a negative balance means no."

VIOLATES = ["4.3"]

EDITS = {
    "retry_budget": [
        ("""        if self.tokens < self.retry_cost:
            return False
        self.tokens -= self.retry_cost
        return True""",
         """        self.tokens -= self.retry_cost
        return self.tokens >= 0"""),
    ],
}

EXPECTED_FAILURES = {
    "test_budget": "After 10 requests an empty budget holds 10 tokens",
}

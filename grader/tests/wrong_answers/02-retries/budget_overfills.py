"""RetryBudget adds every deposit, past its capacity: a quiet spell banks a burst."""

BELIEVED = "Capacity is only where the budget starts; requests may keep adding to it."

VIOLATES = ["4.2"]

EDITS = {
    "retry_budget": [
        ("""        self.tokens = min(self.capacity, self.tokens + 1)""",
         """        self.tokens += 1"""),
    ],
}

EXPECTED_FAILURES = {
    "test_budget": "Tokens must not pile up beyond capacity",
}

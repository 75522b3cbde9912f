"""RetryBudget starts with no tokens, so the first retries after it is made are refused."""

BELIEVED = "A budget has to earn its tokens before it may spend any."

VIOLATES = ["4.1"]

EDITS = {
    "retry_budget": [
        ("""        self.tokens = capacity""",
         """        self.tokens = 0"""),
    ],
}

EXPECTED_FAILURES = {
    "test_budget": "A new budget starts full",
}

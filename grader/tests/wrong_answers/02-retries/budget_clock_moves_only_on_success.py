"""RetryBudget adds what it earned at every call, but moves its timestamp only when it
grants a token: after a refusal, the same seconds are paid again."""

BELIEVED = "The refill clock only needs to move when a token is taken."

VIOLATES = ["4.2"]

EDITS = {
    "retry_budget": [
        ("""        self.updated_s = now_s
        if self.tokens >= 1:
            self.tokens -= 1
            return True""",
         """        if self.tokens >= 1:
            self.tokens -= 1
            self.updated_s = now_s
            return True"""),
    ],
}

EXPECTED_FAILURES = {
    "test_budget": "It counted more tokens than it earned",
}

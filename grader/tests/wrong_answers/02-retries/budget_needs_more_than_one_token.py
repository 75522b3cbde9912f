"""RetryBudget refuses unless it holds more than one token, so its last token is never spent."""

BELIEVED = "A budget should never spend its last token."

VIOLATES = ["4.3"]

EDITS = {
    "retry_budget": [
        ("""        if self.tokens >= 1:""",
         """        if self.tokens > 1:"""),
    ],
}

EXPECTED_FAILURES = {
    "test_budget": "A new budget of capacity 3 should allow 3 retries",
}

"""RetryBudget adds the tokens earned with no cap at capacity, so idle time piles them up."""

BELIEVED = "Every token earned while idle should be kept for the next burst."

VIOLATES = ["4.1"]

EDITS = {
    "retry_budget": [
        ("""        earned = (now_s - self.updated_s) * self.refill_per_s
        self.tokens = min(self.capacity, self.tokens + earned)""",
         """        self.tokens += (now_s - self.updated_s) * self.refill_per_s"""),
    ],
}

EXPECTED_FAILURES = {
    "test_budget": "Tokens must not pile up beyond capacity",
}

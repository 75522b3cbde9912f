"""RetryBudget.try_spend only ever takes tokens: the bucket never earns any back."""

BELIEVED = "A retry budget is an allowance that gets used up, not a bucket that refills."

VIOLATES = ["4.2"]

EDITS = {
    "retry_budget": [
        ("""        self.updated_s = clock()
""",
         """"""),
        ("""        now_s = self.clock()
        earned = (now_s - self.updated_s) * self.refill_per_s
        self.tokens = min(self.capacity, self.tokens + earned)
        self.updated_s = now_s
""",
         """"""),
    ],
}

EXPECTED_FAILURES = {
    "test_budget": "A budget that never refills",
}

"""RetryBudget counts in retries: a request earns 1/retry_cost of one, a retry takes one.
Ten tenths add up to 0.9999999999999999, so the tenth request does not pay for a retry."""

BELIEVED = "A tenth of a token per request is the same as one token per request at cost 10."

VIOLATES = ["4.2", "4.3"]

EDITS = {
    "retry_budget": [
        ("""        self.tokens = capacity""",
         """        self.tokens = capacity / retry_cost"""),
        ("""        self.tokens = min(self.capacity, self.tokens + 1)""",
         """        self.tokens = min(self.capacity / self.retry_cost,
                          self.tokens + 1 / self.retry_cost)"""),
        ("""        if self.tokens < self.retry_cost:
            return False
        self.tokens -= self.retry_cost""",
         """        if self.tokens < 1:
            return False
        self.tokens -= 1"""),
    ],
}

EXPECTED_FAILURES = {
    "test_budget": "ten tenths of a token add up to 0.9999999999999999",
}

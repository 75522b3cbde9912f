"""RetryBudget credits only whole tokens (int) yet restarts its clock on every call, so the
fractions earned between frequent calls are lost and it may never refill."""

BELIEVED = "Only whole tokens count, so the fraction earned between two calls can be dropped."

VIOLATES = ["4.2"]

EDITS = {
    "retry_budget": [
        ("""        earned = (now_s - self.updated_s) * self.refill_per_s""",
         """        earned = int((now_s - self.updated_s) * self.refill_per_s)"""),
    ],
}

EXPECTED_FAILURES = {
    "test_budget": "drops the fractions of a token it earns",
}

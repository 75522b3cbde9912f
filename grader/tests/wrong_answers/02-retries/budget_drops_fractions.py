"""RetryBudget credits only whole tokens (int) yet restarts its clock on every call, so the
fractions earned between frequent calls are lost and it may never refill."""

EDITS = {
    "retry_budget": [
        ("""        earned = (now_s - self.updated_s) * self.refill_per_s""",
         """        earned = int((now_s - self.updated_s) * self.refill_per_s)"""),
    ],
}

EXPECTED_FAILURES = {
    "test_budget": "drops the fractions of a token it earns",
}

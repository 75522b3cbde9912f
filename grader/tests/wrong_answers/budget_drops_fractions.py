"""RetryBudget credits only whole tokens (int) yet restarts its clock on every call, so the
fractions earned between frequent calls are lost and it may never refill."""

REPLACES = {"retry_budget": '''
class RetryBudget:
    """A token bucket that allows retries only while they stay a small share of traffic."""

    def __init__(self, capacity, refill_per_s, clock):
        self.capacity = capacity
        self.refill_per_s = refill_per_s
        self.clock = clock
        self.tokens = capacity
        self.updated_s = clock()

    def try_spend(self):
        """Take one token and return True, or return False if less than one is left."""
        now_s = self.clock()
        earned = int((now_s - self.updated_s) * self.refill_per_s)
        self.tokens = min(self.capacity, self.tokens + earned)
        self.updated_s = now_s
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False
'''}

EXPECTED_FAILURES = {
    "test_budget": "drops the fractions of a token it earns",
}

"""RetryBudget.try_spend only ever takes tokens: the bucket never earns any back."""

REPLACES = {"retry_budget": '''
class RetryBudget:
    """A token bucket that allows retries only while they stay a small share of traffic."""

    def __init__(self, capacity, refill_per_s, clock):
        self.capacity = capacity
        self.refill_per_s = refill_per_s
        self.clock = clock
        self.tokens = capacity

    def try_spend(self):
        """Take one token and return True, or return False if less than one is left."""
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False
'''}

EXPECTED_FAILURES = {
    "test_budget": "A budget that never refills",
}

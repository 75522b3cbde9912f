"""RetryBudget adds the tokens earned with no cap at capacity, so idle time piles them up."""

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
        self.tokens += (now_s - self.updated_s) * self.refill_per_s
        self.updated_s = now_s
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False
'''}

EXPECTED_FAILURES = {
    "test_budget": "Tokens must not pile up beyond capacity",
}

"""RetryBudget earns tokens only while it has less than one, though its clock moves on at
every call: the time that passes while it holds tokens earns nothing."""

BELIEVED = "A budget need only refill once it has run out."

VIOLATES = ["4.2"]

ANSWERS = {
    "retry_budget": '''
class RetryBudget:
    """Token bucket for retries."""

    def __init__(self, capacity, refill_per_s, clock):
        self.capacity = capacity
        self.refill_per_s = refill_per_s
        self.clock = clock
        self.balance = capacity
        self.checked_at = clock()

    def try_spend(self):
        now = self.clock()
        if self.balance < 1:  # only an empty bucket needs topping up
            elapsed = now - self.checked_at
            self.balance = min(self.capacity, self.balance + elapsed * self.refill_per_s)
        self.checked_at = now
        if self.balance < 1:
            return False
        self.balance -= 1
        return True
''',
}

EXPECTED_FAILURES = {
    "test_budget": "fractions included, and one whole token pays for a retry",
}

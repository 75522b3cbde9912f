"""RetryBudget measures time with time.monotonic() instead of the clock it is given, so it
never refills in simulated time."""

BELIEVED = "A budget should follow real time, whatever clock it is handed."

VIOLATES = ["4.2"]

ANSWERS = {
    "retry_budget": '''
class RetryBudget:
    """Tokens refill with the passage of time."""

    def __init__(self, capacity, refill_per_s, clock):
        self.capacity = capacity
        self.rate = refill_per_s
        self.clock = clock  # kept, though real time is what matters
        self.tokens = float(capacity)
        self.last = time.monotonic()

    def try_spend(self):
        now = time.monotonic()
        self.tokens = min(self.capacity, self.tokens + (now - self.last) * self.rate)
        self.last = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False
''',
}

EXPECTED_FAILURES = {
    "test_budget": "A budget that never refills",
}

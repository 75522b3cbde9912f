"""RetryBudget that adds only whole tokens, keeping the fraction earned in its timestamp (it
moves the timestamp on by the time those whole tokens took, not to now)."""

ANSWERS = {
    "retry_budget": '''
class RetryBudget:
    """Whole tokens in the bucket; the fraction of the next one is kept as time."""

    def __init__(self, capacity, refill_per_s, clock):
        self.capacity = capacity
        self.refill_per_s = refill_per_s
        self.clock = clock
        self.tokens = capacity
        self.counted_until = clock()

    def try_spend(self):
        now = self.clock()
        if self.refill_per_s > 0:
            whole = int((now - self.counted_until) * self.refill_per_s)
            if self.tokens + whole >= self.capacity:
                self.tokens, self.counted_until = self.capacity, now
            else:
                self.tokens += whole
                self.counted_until += whole / self.refill_per_s
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False
''',
}

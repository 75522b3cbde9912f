"""RetryBudget with another bookkeeping: a helper computes the level now, and the level and
its timestamp are stored only when a token is taken."""

ANSWERS = {
    "retry_budget": '''
class RetryBudget:
    """A token bucket: at most capacity tokens, refill_per_s of them a second."""

    def __init__(self, capacity, refill_per_s, clock):
        self._capacity = capacity
        self._rate = refill_per_s
        self._clock = clock
        self._level = float(capacity)
        self._as_of = clock()

    def _level_at(self, now):
        earned = (now - self._as_of) * self._rate
        return min(self._capacity, self._level + earned)

    def try_spend(self):
        now = self._clock()
        level = self._level_at(now)
        if level < 1:
            return False
        self._level, self._as_of = level - 1, now
        return True
''',
}

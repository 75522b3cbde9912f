"""RetryBudget that counts in retries, exactly: a request earns Fraction(1, retry_cost) of
one, and a retry takes a whole one. Fractions add up without the drift of floats."""

ANSWERS = {
    "retry_budget": '''
from fractions import Fraction


class RetryBudget:
    """Counted in retries: each request earns 1/retry_cost of one."""

    def __init__(self, capacity, retry_cost):
        self.most = Fraction(capacity, retry_cost)
        self.per_request = Fraction(1, retry_cost)
        self.retries = self.most

    def deposit(self):
        if self.retries < self.most:
            self.retries = min(self.most, self.retries + self.per_request)

    def try_spend(self):
        if self.retries >= 1:
            self.retries -= 1
            return True
        return False
''',
}

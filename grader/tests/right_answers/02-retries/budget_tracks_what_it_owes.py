"""RetryBudget that keeps the room left below capacity instead of the tokens held, and
the wrapper pays in once the first call has ended, either way (3.6 leaves that open)."""

ANSWERS = {
    "retry_budget": '''
class RetryBudget:
    def __init__(self, capacity, retry_cost):
        self.capacity, self.cost = capacity, retry_cost
        self.missing = 0  # tokens short of full

    def deposit(self):
        self.missing = max(0, self.missing - 1)

    def try_spend(self):
        if self.capacity - self.missing >= self.cost:
            self.missing += self.cost
            return True
        return False
''',
    "call_with_retries": '''
def call_with_retries(operation, *, max_attempts=3, base=0.1, cap=20.0,
                      sleep=time.sleep, rng=random, budget=None):
    attempt = 0
    while True:
        try:
            result = operation()
        except Exception as error:
            if attempt == 0 and budget is not None:
                budget.deposit()
            attempt += 1
            if attempt >= max_attempts or not is_retryable(error):
                raise
            if budget is not None and not budget.try_spend():
                raise
            sleep(full_jitter(attempt - 1, base, cap, rng))
        else:
            if attempt == 0 and budget is not None:
                budget.deposit()
            return result
''',
}

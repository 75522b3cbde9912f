"""A token bucket in a clock's time: a rate limit, such as the per-tenant throttle of
chapter 7's front door. (A retry budget is counted in requests instead: ``retrybudget``.)"""

from __future__ import annotations

from collections.abc import Callable


class TokenBucket:
    """A rate limit: ``capacity`` tokens, refilled at ``refill_per_s`` in the clock's time.

    ``try_spend`` takes one token if there is one and says whether it did.
    """

    def __init__(self, capacity: float, refill_per_s: float, clock: Callable[[], float]):
        self.capacity = capacity
        self.refill_per_s = refill_per_s
        self._clock = clock
        self._tokens = capacity
        self._updated_s = clock()

    @property
    def tokens(self) -> float:
        """The tokens available now."""
        self._refill()
        return self._tokens

    def try_spend(self, tokens: float = 1.0) -> bool:
        """Take ``tokens`` if the bucket holds that many; never go below zero."""
        self._refill()
        if self._tokens < tokens:
            return False
        self._tokens -= tokens
        return True

    def _refill(self) -> None:
        now_s = self._clock()
        elapsed_s = max(0.0, now_s - self._updated_s)
        self._tokens = min(self.capacity, self._tokens + elapsed_s * self.refill_per_s)
        self._updated_s = now_s

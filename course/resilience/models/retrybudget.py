"""A retry budget that keeps retries a share of the traffic: requests earn, retries spend.

Every request deposits one token; a retry costs ``retry_cost`` tokens. Over any stretch of
traffic, retries are then at most ``1 / retry_cost`` of the requests, plus the ``capacity``
the budget may burst. This is the budget of the SRE book (retries at most 10% of requests
per client) and of Finagle's ``RetryBudget``; botocore's standard-mode retry quota has the
same shape, with a refund per success instead of a deposit per request (its numbers:
``resilience.aws.facts.botocore_defaults()``).

A bucket refilled by the clock instead (``tokenbucket.TokenBucket``) caps the retries a
second: 10 a second is 1% of 1,000 requests a second, and 50% of 20. That is a rate limit,
not a share.

Tokens are whole numbers: a budget counted in fractions (a tenth of a token per request)
drifts, since ten tenths add up to 0.9999999999999999 in floating point.
"""

from __future__ import annotations


class RetryBudget:
    """``capacity`` tokens, full at the start; ``deposit`` adds one per request (never above
    capacity), ``try_spend`` takes ``retry_cost`` for a retry if the budget holds them."""

    def __init__(self, capacity: int, retry_cost: int):
        self.capacity = capacity
        self.retry_cost = retry_cost
        self.tokens = capacity

    def deposit(self) -> None:
        """A request earns one token, up to the budget's capacity."""
        self.tokens = min(self.capacity, self.tokens + 1)

    def try_spend(self) -> bool:
        """Take ``retry_cost`` tokens for a retry and say True, or take none and say False."""
        if self.tokens < self.retry_cost:
            return False
        self.tokens -= self.retry_cost
        return True

"""Retry amplification through a stack of layers, and what a retry budget does to it.

A request enters the top layer; each layer calls the one below and, when that call fails,
tries again, up to ``attempts`` tries in all. Only the bottom layer (the dependency) fails
on its own. When the dependency is down, every layer's retries multiply: 3 tries at each of
5 layers is 3**5 = 243 calls on the dependency for one request from a user.

A retry budget caps that: each layer holds a token bucket and retries only while it has a
token, so its retries stay a small share of its traffic however badly the layer below fails.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from resilience.clock import DEFAULT_SEED, SimClock
from resilience.models.tokenbucket import TokenBucket

REQUEST_RATE_PER_S = 100.0  # requests a second arriving at the top layer
DURATION_S = 10.0  # simulated time the traffic runs for
BUDGET_CAPACITY_TOKENS = 10.0  # retries a layer may burst
BUDGET_REFILL_PER_S = 10.0  # retries a second a layer may sustain (10% of the traffic)


def expected_calls_per_layer(layers: int, attempts: int, failure_rate: float) -> list[float]:
    """Expected calls reaching each layer (top first, dependency last) per top request,
    with no budget and independent failures."""
    # fail[k]: probability that a call into layer k fails once its own retries are spent.
    fail = [0.0] * (layers + 1)
    fail[layers] = failure_rate
    for k in range(layers - 1, -1, -1):
        fail[k] = fail[k + 1] ** attempts
    calls = [1.0]
    for k in range(1, layers + 1):
        tries_per_call = sum(fail[k] ** i for i in range(attempts))
        calls.append(calls[-1] * tries_per_call)
    return calls


@dataclass
class Stack:
    """Layers that call each other with retries, each with an optional budget."""

    layers: int
    attempts: int
    failure_rate: float
    rng: random.Random
    budgets: list[TokenBucket] | None = None

    def __post_init__(self):
        self.calls = [0] * (self.layers + 1)

    def call(self, layer: int = 0) -> bool:
        """One call into ``layer``; True if it (eventually) succeeded."""
        self.calls[layer] += 1
        if layer == self.layers:
            return self.rng.random() >= self.failure_rate
        for attempt in range(self.attempts):
            if attempt > 0 and self.budgets is not None and not self.budgets[layer].try_spend():
                return False
            if self.call(layer + 1):
                return True
        return False


def simulate_calls_per_layer(layers: int, attempts: int, failure_rate: float, *,
                             budget: bool, seed: int = DEFAULT_SEED,
                             request_rate_per_s: float = REQUEST_RATE_PER_S,
                             duration_s: float = DURATION_S) -> list[float]:
    """Calls reaching each layer per top request, measured over simulated traffic."""
    clock = SimClock()
    budgets = None
    if budget:
        budgets = [TokenBucket(BUDGET_CAPACITY_TOKENS, BUDGET_REFILL_PER_S, clock)
                   for _ in range(layers)]
    stack = Stack(layers, attempts, failure_rate, random.Random(seed), budgets)
    requests = int(request_rate_per_s * duration_s)
    for _ in range(requests):
        stack.call()
        clock.advance(1.0 / request_rate_per_s)
    return [c / requests for c in stack.calls]


def calls_per_layer(layers: int, attempts: int, failure_rate: float, *, budget: bool,
                    seed: int = DEFAULT_SEED) -> list[float]:
    """Calls reaching each layer per top request: exact without a budget (simulating
    243 calls a request would be slow), simulated with one."""
    if not budget:
        return expected_calls_per_layer(layers, attempts, failure_rate)
    return simulate_calls_per_layer(layers, attempts, failure_rate, budget=True, seed=seed)

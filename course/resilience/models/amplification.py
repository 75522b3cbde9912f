"""Retry amplification through a stack of layers, and what a retry budget does to it.

A request enters the top layer; each layer calls the one below and, when that call fails,
tries again, up to ``attempts`` tries in all. Only the bottom layer (the dependency) fails
on its own. When the dependency is down, every layer's retries multiply: 3 tries at each of
5 layers is 3**5 = 243 calls on the dependency for one request from a user.

A retry budget caps that: each layer's calls earn tokens and its retries spend them
(``retrybudget.RetryBudget``), so its retries stay a small share of its traffic however
badly the layer below fails.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from resilience.clock import DEFAULT_SEED
from resilience.models.retrybudget import RetryBudget

REQUESTS = 1000  # user requests sent into the top layer
BUDGET_RETRY_COST_TOKENS = 10  # each call into a layer earns 1: retries stay near 10% of calls
BUDGET_CAPACITY_TOKENS = 100  # a full budget pays for a burst of 10 retries


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
    budgets: list[RetryBudget] | None = None

    def __post_init__(self):
        self.calls = [0] * (self.layers + 1)

    def call(self, layer: int = 0) -> bool:
        """One call into ``layer``; True if it (eventually) succeeded."""
        self.calls[layer] += 1
        if layer == self.layers:
            return self.rng.random() >= self.failure_rate
        if self.budgets is not None:
            self.budgets[layer].deposit()
        for attempt in range(self.attempts):
            if attempt > 0 and self.budgets is not None and not self.budgets[layer].try_spend():
                return False
            if self.call(layer + 1):
                return True
        return False


def simulate_calls_per_layer(layers: int, attempts: int, failure_rate: float, *,
                             budget: bool, seed: int = DEFAULT_SEED,
                             requests: int = REQUESTS) -> list[float]:
    """Calls reaching each layer per top request, measured over ``requests`` requests."""
    budgets = None
    if budget:
        budgets = [RetryBudget(BUDGET_CAPACITY_TOKENS, BUDGET_RETRY_COST_TOKENS)
                   for _ in range(layers)]
    stack = Stack(layers, attempts, failure_rate, random.Random(seed), budgets)
    for _ in range(requests):
        stack.call()
    return [c / requests for c in stack.calls]


def calls_per_layer(layers: int, attempts: int, failure_rate: float, *, budget: bool,
                    seed: int = DEFAULT_SEED) -> list[float]:
    """Calls reaching each layer per top request: exact without a budget (simulating
    243 calls a request would be slow), simulated with one."""
    if not budget:
        return expected_calls_per_layer(layers, attempts, failure_rate)
    return simulate_calls_per_layer(layers, attempts, failure_rate, budget=True, seed=seed)

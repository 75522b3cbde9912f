"""Chapter 5's scenarios on the overload models: the goodput curve and the spike.

``goodput_curve`` offers a server a range of loads, from half its capacity to three times
it, and measures throughput and goodput once each run has settled. ``spike_story`` is the
metastable failure of Bronson et al. (HotOS 2021): a server at 60% load whose clients time
out after 1 s and retry, a short spike, and what is left after it ends.

Each ``POLICIES`` entry is one way to protect the server. Both functions are deterministic
and cached, so a widget redraws at once when a setting comes back.
"""

from __future__ import annotations

from functools import lru_cache

from resilience.overload import (
    LIFO,
    Clients,
    Result,
    Server,
    shed_past_deadline,
    simulate,
    spike,
    steady,
)
from resilience.progress import steps

CAPACITY_PER_S = Server().capacity_per_s  # 10 workers x 100 ms: 100 requests a second
LOAD_FACTORS = (0.25, 0.5, 0.75, 0.9, 1.0, 1.1, 1.25, 1.5, 2.0, 2.5, 3.0)
CURVE_RUN_S = 40  # each point of the curve: 40 s of traffic...
SETTLED_S = 20  # ...measured over its second half, once queues have built up
CONCURRENCY_LIMIT = 20  # requests in the server at once: 10 at work, 10 waiting
SPIKE_BASE_PER_S = 60.0  # 60% of capacity
SPIKE_START_S = 30
SPIKE_RUN_S = 120


def limit_concurrency(limit: int = CONCURRENCY_LIMIT):
    """An admission policy: refuse a request once ``limit`` are in the server."""

    def admit(request, server) -> bool:
        return server.in_service + server.queued < limit

    return admit


# name -> the simulate() settings it stands for (besides load and clients)
POLICIES = {
    "none (FIFO, no limit)": {},
    "concurrency limit": {"admit": limit_concurrency()},
    "drop past deadline": {"shed": shed_past_deadline},
    "LIFO": {"server": Server(queue=LIFO)},
}


@lru_cache(maxsize=256)
def goodput_curve(policy: str = "none (FIFO, no limit)", timeout_s: float = 1.0,
                  retries: int = 3) -> list[tuple[float, Result]]:
    """(offered rate of first tries, the run) for each of ``LOAD_FACTORS`` x capacity."""
    clients = Clients(timeout_s=timeout_s, retries=retries)
    return [(factor * CAPACITY_PER_S,
             simulate(steady(factor * CAPACITY_PER_S, CURVE_RUN_S), clients=clients,
                      **POLICIES[policy]))
            for factor in steps(LOAD_FACTORS, "offered loads simulated")]


@lru_cache(maxsize=256)
def spike_story(policy: str = "none (FIFO, no limit)", retries: int = 3,
                factor: float = 2.0, length_s: int = 10, timeout_s: float = 1.0) -> Result:
    """A server at 60% load, a spike of ``factor`` x that load for ``length_s`` seconds at
    30 s, and two minutes in all."""
    load = spike(SPIKE_BASE_PER_S, factor, SPIKE_START_S, length_s, SPIKE_RUN_S)
    return simulate(load, clients=Clients(timeout_s=timeout_s, retries=retries),
                    **POLICIES[policy])


class OrderWriter:
    """What the lab's service does for each request it serves: write an order to a
    DynamoDB table, one item a request. Writes go out 25 at a time (BatchWriteItem's
    maximum), so a run of thousands of requests costs a few hundred calls to moto."""

    BATCH = 25

    def __init__(self, dynamodb, table: str):
        self.dynamodb, self.table = dynamodb, table
        self._pending: list[dict] = []

    def __call__(self, request) -> None:
        self._pending.append({"PutRequest": {"Item": {
            "id": {"S": f"{request.number}-{request.attempt}"},
            "sent_at": {"N": str(request.sent_s)}}}})
        if len(self._pending) == self.BATCH:
            self.flush()

    def flush(self) -> None:
        """Write what is pending (sandbox calls never come back unprocessed)."""
        if self._pending:
            self.dynamodb.batch_write_item(RequestItems={self.table: self._pending})
            self._pending = []

    def written(self) -> int:
        """Orders in the table: one for each request the service served."""
        self.flush()
        pages = self.dynamodb.get_paginator("scan").paginate(TableName=self.table,
                                                             Select="COUNT")
        return sum(page["Count"] for page in pages)

"""Workload isolation in simpy: many tenants share a fleet of queues, and one turns hot.

A service takes work from 200 tenants, each sending a message every 2 s on average, through
queues whose pollers take 200 messages a second in all: half its capacity is in use. Ten
seconds in, one tenant starts sending 150 a second, for 20 s. Where its messages go, and who
waits behind them, depends on the layout:

- ``SHARED``: one queue, every poller on it. The hot tenant's backlog is everyone's.
- ``FIXED``: N queues, each tenant on one of them (a shard of one). The hot tenant's queue
  backs up, and the tenants on it (1/N of them) wait; the rest do not.
- ``SHUFFLE``: N queues, each tenant on its own K of them (``shufflesharding``), sending each
  message to the shorter of its queues. The hot tenant fills its K queues; a tenant that
  shares one of them moves to its other queues, and only a tenant that shares all K waits.

A per-tenant throttle at the front door (``tenant_limit_per_s``) rejects what a tenant
sends above its rate, so a hot tenant cannot fill even its own queues.

``LAYOUTS`` are short keys; ``LABELS`` gives the words summaries and figures show for them.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

import simpy

from resilience.clock import DEFAULT_SEED
from resilience.models.frozen import frozen_mapping
from resilience.models.shufflesharding import NODES, SHARD_SIZE, shuffle_shard
from resilience.models.stats import percentile
from resilience.models.tokenbucket import TokenBucket

SHARED, FIXED, SHUFFLE = "shared", "fixed", "shuffle"
LAYOUTS = (SHARED, FIXED, SHUFFLE)
LABELS = {SHARED: "one shared queue", FIXED: "fixed shards", SHUFFLE: "shuffle shards"}
TENANTS = 200
TENANT_RATE_PER_S = 0.5  # each tenant's steady traffic
CAPACITY_PER_S = 200.0  # all the pollers together, split evenly over the queues
HOT_TENANT = 0  # the index of the tenant that turns hot
HOT_RATE_PER_S = 150.0  # what the hot tenant sends, on top of its steady traffic
HOT_START_S, HOT_END_S = 10.0, 30.0
DURATION_S = 60.0  # a shared backlog drains by then; a message still waiting counts the
# wait it has had so far, so the longest waits of fixed and shuffle shards are lower bounds
AFFECTED_WAIT_S = 1.0  # a tenant whose worst wait is longer than this was hurt
WAIT_PERCENTILE = 0.99  # each tenant's wait: the p99 of the messages it sent while one was hot


def tenant_names(count: int = TENANTS) -> list[str]:
    """The tenants' ids, as their messages carry them."""
    return [f"tenant-{number:03d}" for number in range(count)]


@dataclass(frozen=True)
class IsolationRun:
    """Each tenant's wait in one layout, from the moment the hot tenant turned hot (frozen: a
    cached run is shared)."""

    layout: str  # one of LAYOUTS
    hot_tenant: str
    shards: Mapping[str, tuple[int, ...]]  # the queues each tenant may use
    waits_s: Mapping[str, float]  # p99 of each tenant's wait (queueing and service), in s
    rejected: int  # messages a per-tenant throttle turned away

    @property
    def others(self) -> dict[str, float]:
        """Every tenant's wait but the hot one's."""
        return {t: w for t, w in self.waits_s.items() if t != self.hot_tenant}

    @property
    def affected(self) -> list[str]:
        """The other tenants who waited longer than ``AFFECTED_WAIT_S``."""
        return [t for t, w in self.others.items() if w > AFFECTED_WAIT_S]

    def summary(self) -> str:
        """One line: how many other tenants were hurt, and their median and worst waits."""
        waits = sorted(self.others.values())
        return (f"{LABELS[self.layout]:17} {len(self.affected):3} of {len(waits)} tenants hurt; "
                f"median wait {waits[len(waits) // 2]:.2f} s, worst {waits[-1]:.1f} s")


def _shards(layout: str, tenants: list[str], nodes: int, shard_size: int):
    if layout == SHARED:
        return {tenant: (0,) for tenant in tenants}
    size = 1 if layout == FIXED else shard_size
    return {tenant: shuffle_shard(tenant, nodes, size) for tenant in tenants}


@lru_cache(maxsize=64)
def simulate_isolation(layout: str, nodes: int = NODES, shard_size: int = SHARD_SIZE,
                       hot_rate_per_s: float = HOT_RATE_PER_S,
                       tenant_limit_per_s: float | None = None,
                       seed: int = DEFAULT_SEED) -> IsolationRun:
    """Run the hot-tenant story under one layout, with ``nodes`` queues (one for
    ``SHARED``, whose pollers all share it) and shards of ``shard_size`` for ``SHUFFLE``."""
    env, rng = simpy.Environment(), random.Random(seed)
    tenants = tenant_names()
    hot = tenants[HOT_TENANT]
    shards = _shards(layout, tenants, nodes, shard_size)
    queues = [simpy.Store(env) for _ in range(1 if layout == SHARED else nodes)]
    throttles = {}  # a token bucket per tenant, one second's worth, when limited
    service_s = nodes / CAPACITY_PER_S  # each poller's mean time per message
    sent: list[tuple[str, float]] = []
    done_s: dict[int, float] = {}
    rejected = 0

    def enqueue(tenant: str) -> None:
        nonlocal rejected
        if tenant_limit_per_s and tenant not in throttles:
            throttles[tenant] = TokenBucket(tenant_limit_per_s, tenant_limit_per_s,
                                            lambda: env.now)
        if tenant_limit_per_s and not throttles[tenant].try_spend():
            rejected += 1
            return
        queue = min(shards[tenant], key=lambda q: len(queues[q].items))
        queues[queue].put(len(sent))
        sent.append((tenant, env.now))

    def steady_traffic():
        while True:
            yield env.timeout(rng.expovariate(TENANT_RATE_PER_S * len(tenants)))
            enqueue(rng.choice(tenants))

    def hot_traffic():
        yield env.timeout(HOT_START_S)
        while True:
            yield env.timeout(rng.expovariate(hot_rate_per_s))
            if env.now >= HOT_END_S:
                return
            enqueue(hot)

    def poller(queue: simpy.Store):
        while True:
            message = yield queue.get()
            yield env.timeout(rng.expovariate(1 / service_s))
            done_s[message] = env.now

    env.process(steady_traffic())
    if hot_rate_per_s > 0:
        env.process(hot_traffic())
    for number in range(nodes):
        env.process(poller(queues[0 if layout == SHARED else number]))
    env.run(until=DURATION_S)

    waits: dict[str, list[float]] = {tenant: [] for tenant in tenants}
    for number, (tenant, sent_s) in enumerate(sent):
        if HOT_START_S <= sent_s < HOT_END_S:  # one still waiting at the end: until the end
            waits[tenant].append(done_s.get(number, DURATION_S) - sent_s)
    return IsolationRun(layout, hot, frozen_mapping(shards),
                        frozen_mapping({t: percentile(w, WAIT_PERCENTILE) if w else 0.0
                                        for t, w in waits.items()}),
                        rejected)

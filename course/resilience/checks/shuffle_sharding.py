"""Checks for lab 07: shuffle-shard assignment, its overlap, and queues that isolate a hot
tenant.

The assignment is checked by its properties, not against one right answer: the same shard
for the same tenant in every process, K distinct queues in range, and tenants spread
evenly over the queues and over all C(N, K) shards (a chi-squared statistic far below what
an uneven spread gives). The queues are moto SQS queues: ``enqueue`` must read their depth
from SQS, and the poller must take turns, so a hot tenant's deep queues delay only the
tenants that have no other queue.
"""

from __future__ import annotations

import itertools
import json
import math
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass

from botocore.client import BaseClient

from resilience.aws.facts import SQS_BATCH_MAX_ENTRIES, SQS_DEFAULT_VISIBILITY_TIMEOUT_S
from resilience.checks import calls_in_fresh_processes, expect
from resilience.clock import SimClock
from resilience.models.shufflesharding import overlap_distribution
from resilience.sandbox import Sandbox, aws_sandbox

NODES, SHARD_SIZE = 8, 2  # the talk's example, and the lab's queues
ISOLATED_SHARE = 0.95  # of other tenants, keeping a queue the hot tenant does not use
TENANTS = [f"tenant-{n:04d}" for n in range(400)] + ["ACME Corp", "café", "a/b:c", "0", "00"]
# Chi-squared goals: a spread this uneven arises by chance about once in 10,000 (27 and 99
# degrees of freedom); one byte of a hash taken modulo 100, say, lands far above.
CHI_SQUARED_LIMIT = {27: 64.0, 99: 170.0}


def _queue_names(nodes: int = NODES) -> list[str]:
    return [f"work-{q}" for q in range(nodes)]


@dataclass
class World:
    """One test's queues: the learner's client, the test's own, and a clock for SQS."""

    aws: Sandbox
    clock: SimClock
    sqs: BaseClient  # the learner's client
    tester: BaseClient  # the test's own client: preloading, reading, consuming
    urls: list[str]

    def depth(self, queue: int) -> int:
        return int(self.tester.get_queue_attributes(
            QueueUrl=self.urls[queue], AttributeNames=["ApproximateNumberOfMessages"])[
            "Attributes"]["ApproximateNumberOfMessages"])

    def preload(self, queue: int, count: int, tenant: str = "somebody-else") -> None:
        """Put ``count`` messages in a queue, ten to a call, behind the learner's back."""
        for start in range(0, count, SQS_BATCH_MAX_ENTRIES):
            self.tester.send_message_batch(QueueUrl=self.urls[queue], Entries=[
                {"Id": str(n), "MessageBody": json.dumps({"tenant": tenant, "n": n})}
                for n in range(start, min(count, start + SQS_BATCH_MAX_ENTRIES))])

    def take(self, queue: int, count: int) -> None:
        """Consume and delete ``count`` messages from a queue, as another poller would."""
        while count > 0:
            page = self.tester.receive_message(
                QueueUrl=self.urls[queue], MaxNumberOfMessages=min(SQS_BATCH_MAX_ENTRIES, count))
            messages = page.get("Messages", [])
            if not messages:
                return
            for message in messages:
                self.tester.delete_message(QueueUrl=self.urls[queue],
                                           ReceiptHandle=message["ReceiptHandle"])
            count -= len(messages)

    def tenants_in(self, queue: int) -> list[str]:
        """The tenant of every message in a queue, in-flight ones included."""
        self.clock.advance(SQS_DEFAULT_VISIBILITY_TIMEOUT_S + 1)
        found: list[str] = []
        while True:
            page = self.tester.receive_message(QueueUrl=self.urls[queue],
                                               MaxNumberOfMessages=SQS_BATCH_MAX_ENTRIES,
                                               VisibilityTimeout=600).get("Messages", [])
            if not page:
                return found
            found += [json.loads(m["Body"])["tenant"] for m in page]


@contextmanager
def _world(nodes: int = NODES):
    clock = SimClock()
    with aws_sandbox(queues=_queue_names(nodes), clock=clock) as aws:
        yield World(aws, clock, aws.client("sqs"), aws.client("sqs"),
                    [aws.queue_urls[name] for name in _queue_names(nodes)])


def _shard(shuffle_shard, tenant: str, nodes: int, shard_size: int) -> list[int]:
    """The learner's shard for ``tenant``, checked to be K distinct queues of N."""
    shard = shuffle_shard(tenant, nodes, shard_size)
    expect(isinstance(shard, (list, tuple)) and all(isinstance(q, int) for q in shard),
           f"shuffle_shard({tenant!r}, {nodes}, {shard_size}) should return a list of queue "
           f"numbers (plain Python ints: convert numpy's with int()); it returned {shard!r}.")
    expect(len(shard) == shard_size and len(set(shard)) == shard_size,
           f"shuffle_shard({tenant!r}, {nodes}, {shard_size}) returned {list(shard)}: a shard "
           f"is {shard_size} different queues. A queue named twice is one queue fewer to "
           "escape to when a neighbour turns hot.")
    expect(all(0 <= q < nodes for q in shard),
           f"shuffle_shard({tenant!r}, {nodes}, {shard_size}) returned {list(shard)}: queue "
           f"numbers run from 0 to {nodes - 1}.")
    return sorted(shard)


def _chi_squared(counts: Counter, categories: list) -> float:
    """Pearson's statistic for ``counts`` against an even spread over ``categories``."""
    expected = sum(counts.values()) / len(categories)
    return sum((counts.get(c, 0) - expected) ** 2 / expected for c in categories)


# -- 1. assignment ----------------------------------------------------------------------------


def check_shard_is_valid(shuffle_shard) -> None:
    for tenant in TENANTS[:20] + TENANTS[-5:]:
        first = _shard(shuffle_shard, tenant, NODES, SHARD_SIZE)
        again = _shard(shuffle_shard, tenant, NODES, SHARD_SIZE)
        expect(first == again,
               f"shuffle_shard({tenant!r}, 8, 2) gave {first}, then {again}: a tenant must get "
               "the same shard every time, or its messages scatter over every queue (and so "
               "does a hot tenant's). Derive the shard from a hash of the tenant id, not from "
               "fresh randomness.")
    shards = {tuple(_shard(shuffle_shard, t, NODES, SHARD_SIZE)) for t in TENANTS[:100]}
    expect(len(shards) >= 20,
           f"100 tenants got only {len(shards)} different shards of the 28 that 8 queues make. "
           "Tenants should be spread over all of them.")


def check_stable_across_processes(shuffle_shard) -> None:
    calls = [(t, NODES, SHARD_SIZE) for t in TENANTS[:30]] + [(t, 100, 5) for t in TENANTS[-5:]]
    here = [_shard(shuffle_shard, *call) for call in calls]
    for elsewhere in calls_in_fresh_processes(shuffle_shard, calls):
        moved = [call[0] for call, a, b in zip(calls, here, elsewhere, strict=True)
                 if sorted(b) != a]
        expect(not moved,
               f"Run in a fresh Python process, shuffle_shard gave {len(moved)} of "
               f"{len(calls)} tenants (e.g. {moved[:1]}) a different shard. Python's hash() "
               "of a string changes from one process to the next (it is salted at start-up), "
               "and so does the order of a set of strings: after a restart, or on the next "
               "machine, tenants would move queues. Use a stable hash such as "
               "hashlib.sha256.")


def check_shards_spread_evenly(shuffle_shard) -> None:
    tenants = [f"customer-{n}" for n in range(2_800)]
    per_shard = Counter(tuple(_shard(shuffle_shard, t, NODES, SHARD_SIZE)) for t in tenants)
    statistic = _chi_squared(per_shard, list(itertools.combinations(range(NODES), SHARD_SIZE)))
    used = len(per_shard)
    expect(used == 28 and statistic < CHI_SQUARED_LIMIT[27],
           f"2,800 tenants over 8 queues in shards of 2 used {used} of the 28 possible shards, "
           f"unevenly (chi-squared {statistic:.0f}, goal under {CHI_SQUARED_LIMIT[27]:.0f}; "
           f"counts from {min(per_shard.values())} to {max(per_shard.values())}, 100 "
           "expected). The fewer shards in use, the more tenants share all their queues "
           "with a hot one: neighbouring queues make only 8 shards, not 28.")
    tenants = [f"customer-{n}" for n in range(2_000)]
    per_queue = Counter(q for t in tenants for q in _shard(shuffle_shard, t, 100, 5))
    statistic = _chi_squared(per_queue, list(range(100)))
    expect(statistic < CHI_SQUARED_LIMIT[99],
           f"2,000 tenants over 100 queues in shards of 5 loaded the queues unevenly: from "
           f"{min(per_queue.get(q, 0) for q in range(100))} to {max(per_queue.values())} "
           f"tenants a queue, 100 expected (chi-squared {statistic:.0f}, goal under "
           f"{CHI_SQUARED_LIMIT[99]:.0f}). A hash taken modulo a number that does not divide "
           "its range (one byte, 0-255, modulo 100) favours the low queues.")


# -- 2. overlap -------------------------------------------------------------------------------


def _check_overlap(overlap_distribution_fn, nodes: int, shard_size: int) -> None:
    got = overlap_distribution_fn(nodes, shard_size)
    exact = [float(p) for p in overlap_distribution(nodes, shard_size)]
    call = f"overlap_distribution({nodes}, {shard_size})"
    expect(isinstance(got, (list, tuple)) and all(
        isinstance(p, (int, float)) and not isinstance(p, bool) for p in got),
           f"{call} should return a list of probabilities, as plain Python floats; it returned "
           f"{got!r}. Convert a Fraction or a numpy value with float().")
    expect(len(got) == shard_size + 1,
           f"{call} should have {shard_size + 1} entries, for sharing 0 to {shard_size} "
           f"queues; it has {len(got)}.")
    expect(abs(sum(got) - 100) > 1e-6,
           f"{call} adds up to 100: return probabilities (0 to 1), not percentages.")
    for k in range(shard_size + 1):
        expect(math.isclose(got[k], exact[k], rel_tol=1e-9, abs_tol=1e-15),
               f"{call}[{k}], the chance of sharing exactly {k} queues, should be "
               f"{exact[k]:.6g}; it is {got[k]:.6g}. The other tenant's shard is drawn "
               "without replacement: C(K, k) ways to pick the shared queues, C(N-K, K-k) for "
               "the rest, out of C(N, K) shards (the hypergeometric distribution).")


def check_overlap_small(overlap_distribution) -> None:
    _check_overlap(overlap_distribution, 8, 2)


def check_overlap_exact(overlap_distribution) -> None:
    for nodes, shard_size in ((100, 5), (5, 3), (4, 4), (8, 1), (2048, 4)):
        _check_overlap(overlap_distribution, nodes, shard_size)


# -- 3. enqueue -------------------------------------------------------------------------------


def _enqueue(world: World, enqueue, tenant: str, body: dict) -> int:
    sent = enqueue(world.sqs, world.urls, tenant, json.dumps(body), SHARD_SIZE)
    expect(isinstance(sent, int) and 0 <= sent < len(world.urls),
           f"enqueue should return the number of the queue it sent to; it returned {sent!r}.")
    return sent


def check_enqueue_picks_shortest(enqueue, shuffle_shard) -> None:
    tenant = "tenant-0007"
    first, second = _shard(shuffle_shard, tenant, NODES, SHARD_SIZE)
    with _world() as world:
        world.preload(first, 5)
        world.preload(second, 2)
        sent = _enqueue(world, enqueue, tenant, {"tenant": tenant})
        expect(sent in (first, second),
               f"{tenant}'s shard is queues {first} and {second}, but enqueue sent to queue "
               f"{sent}. A tenant must only ever use its own shard: a queue outside it "
               "belongs to other tenants, whose isolation depends on you staying out.")
        expect(sent == second,
               f"Queue {first} held 5 messages and queue {second} held 2; enqueue sent to "
               f"queue {first}. Send to the shortest queue of the shard, so that a queue "
               "backed up by a hot neighbour is avoided.")
        expect(world.tenants_in(second).count(tenant) == 1,
               f"enqueue returned {second}, but queue {second} does not hold the message.")


def check_enqueue_reads_depth_from_sqs(enqueue, shuffle_shard) -> None:
    tenant = "tenant-0042"
    first, second = _shard(shuffle_shard, tenant, NODES, SHARD_SIZE)
    with _world() as world:
        picks = []
        for step in range(6):  # others fill one queue, then drain it and fill the other
            deep, shallow = (first, second) if step % 2 == 0 else (second, first)
            world.take(shallow, world.depth(shallow))
            world.preload(deep, 20)
            picks.append((_enqueue(world, enqueue, tenant, {"tenant": tenant}), shallow))
        wrong = [n for n, (sent, shallow) in enumerate(picks) if sent != shallow]
        expect(not wrong,
               f"Other producers and pollers kept changing the depth of queues {first} and "
               f"{second}; enqueue picked the deeper one in {len(wrong)} of 6 sends. Ask SQS "
               "(GetQueueAttributes, ApproximateNumberOfMessages) each time: a count kept by "
               "your own code sees only your own sends, never anyone else's.")


# -- 4. polling -------------------------------------------------------------------------------


def _handled_bodies():
    handled = []

    def handle(body: str) -> None:
        handled.append(json.loads(body))

    return handled, handle


def check_poller_is_fair(make_poller) -> None:
    with _world() as world:
        world.preload(0, 300, tenant="hot")
        for queue in range(1, NODES):
            world.preload(queue, 3, tenant=f"quiet-{queue}")
        handled, handle = _handled_bodies()
        poll = make_poller(world.sqs, world.urls, handle)
        for _ in range(2 * NODES):
            poll()
        quiet = sum(1 for body in handled if body["tenant"] != "hot")
        expect(quiet == 3 * (NODES - 1),
               f"Queue 0 held 300 messages of a hot tenant; queues 1 to 7 held 3 each. After "
               f"{2 * NODES} polls, {quiet} of the 21 quiet messages were handled (and "
               f"{len(handled) - quiet} hot ones). Take the queues in turn: a poller that "
               "serves the deepest queue, or the first, lets one tenant's backlog starve "
               "everyone else's queues, which is what sharding was for.")


def check_poller_keeps_failed_messages(make_poller) -> None:
    with _world() as world:
        for queue in range(NODES):
            world.preload(queue, 2, tenant=f"tenant-{queue}")
        handled, failing = [], {"tenant-3"}

        def handle(body: str) -> None:
            message = json.loads(body)
            if message["tenant"] in failing:
                raise RuntimeError("the downstream call failed")
            handled.append(message)

        poll = make_poller(world.sqs, world.urls, handle)
        error = None
        for _ in range(NODES):
            try:
                poll()
            except Exception as raised:  # noqa: BLE001 - reported below
                error = raised
        expect(error is None,
               f"When handle raised for one message, the poller raised {error!r}. Leave that "
               "message in its queue (SQS delivers it again after its visibility timeout) and "
               "go on with the rest: one bad message must not stop a poller that serves "
               "every tenant.")
        left = world.tenants_in(3)
        expect(sorted(left) == ["tenant-3", "tenant-3"],
               "Two messages failed in handle; they should stay in their queue to be tried "
               f"again, but queue 3 now holds {left}. Delete a message only once it has been "
               "handled.")
        expect(len(handled) == 2 * (NODES - 1),
               f"Of the 14 messages that could be handled, {len(handled)} were.")


# -- 5. a hot tenant, end to end --------------------------------------------------------------


def check_hot_tenant_is_isolated(shuffle_shard, enqueue, make_poller) -> None:
    tenants = TENANTS[:400]
    shards = {t: frozenset(_shard(shuffle_shard, t, NODES, SHARD_SIZE)) for t in tenants}
    kept = [sum(1 for other in tenants if other != hot and not shards[other] <= shards[hot])
            / (len(tenants) - 1) for hot in tenants]
    share = sum(kept) / len(kept)
    expect(share >= ISOLATED_SHARE,
           f"When one of 400 tenants turns hot, on average {share:.1%} of the others keep a "
           f"queue it does not use (goal: at least {ISOLATED_SHARE:.0%}; shards spread over "
           "all 28 pairs of 8 queues give 1 - 1/28 = 96.4%). Too many tenants share the same "
           "shard.")
    hot, others = tenants[0], tenants[1:100]
    with _world() as world:
        for queue in shards[hot]:
            world.preload(queue, 140, tenant=hot)
        strays = [q for q in (_enqueue(world, enqueue, hot, {"tenant": hot}) for _ in range(20))
                  if q not in shards[hot]]
        expect(not strays,
               f"The hot tenant's shard is queues {sorted(shards[hot])}, but enqueue sent "
               f"{len(strays)} of its 20 messages to queues {sorted(set(strays))}. A hot "
               "tenant that spills into other queues takes every tenant's queues with it: "
               "keep each tenant's messages inside its own shard.")
        sent = {t: _enqueue(world, enqueue, t, {"tenant": t}) for t in others}
        free = [t for t in others if not shards[t] <= shards[hot]]
        trapped = [t for t in free if sent[t] in shards[hot]]
        expect(not trapped,
               f"The hot tenant's queues {sorted(shards[hot])} held about 150 messages each; "
               f"{len(trapped)} tenants (e.g. {trapped[:1]}) that also have a quiet queue "
               "were sent to a hot one. Send to the shortest queue of the tenant's shard.")
        handled, handle = _handled_bodies()
        poll = make_poller(world.sqs, world.urls, handle)
        for _ in range(3 * NODES):
            poll()
        served = {body["tenant"] for body in handled}
        waiting = [t for t in free if t not in served]
        expect(not waiting,
               f"After 3 rounds of polling the 8 queues, {len(waiting)} of the {len(free)} "
               "tenants with a queue the hot tenant does not use still waited (e.g. "
               f"{waiting[:1]}), behind the hot tenant's 300 messages. Their queues held only "
               "a few messages each: a poller that takes the queues in turn serves them in "
               "the first rounds.")

"""Checks for lab 07: shuffle-shard assignment, its overlap, and queues that isolate a hot
tenant.

The assignment is checked by its properties, not against one right answer: K distinct
queues in range for any tenant id, N and K (Hypothesis), the same shard for the same tenant
in a fresh process, and tenants spread evenly over all C(N, K) shards and over the queues
(a chi-squared statistic far below what an uneven spread gives, over tenant ids shaped as
real ones are: a prefix and a running number). The overlap is the instructions' own
formula, tried on generated N and K, impossible overlaps included.

The queues are moto SQS queues. The tests fill them and read them through moto's own
model (``World``), which costs no API call; the learner's code gets a client of its own,
whose calls the tests watch. ``enqueue`` must send, for any N and K and whatever the
depths, to a shortest queue of the tenant's shard, as SQS counts it at that moment. The
poller must receive up to 10 messages from queue 0, 1, ... N - 1, 0 ... in turn, one
receive a poll, hand every message to ``handle`` and delete exactly the ones it handled.

Hidden scenarios vary with the submission (``varied``): tenant ids, N and K, depths, which
messages fail and with which error, and the hot tenant.
"""

from __future__ import annotations

import itertools
import json
import math
import random
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from botocore.client import BaseClient
from hypothesis import strategies as st

from resilience.aws.facts import ACCOUNT_ID, REGION, SQS_BATCH_MAX_ENTRIES
from resilience.checks import (
    calls_in_fresh_processes,
    client_error,
    expect,
    stop_runaway,
    uses_fresh_processes,
    varied,
)
from resilience.checks.properties import STOPPING_ERRORS, for_all
from resilience.checks.requirements import Requirement
from resilience.clock import SimClock
from resilience.sandbox import aws_sandbox

LAB = "07-shuffle-sharding"

VALID, STABLE, EVEN = ("test_shard_is_valid", "test_stable_across_processes",
                       "test_shards_spread_evenly")
OVERLAP_SMALL, OVERLAP_EXACT = "test_overlap_small", "test_overlap_exact"
SHORTEST, FRESH_DEPTH = "test_enqueue_picks_shortest", "test_enqueue_reads_depth_from_sqs"
TURNS, FAILURES = "test_poller_is_fair", "test_poller_keeps_failed_messages"
HOT = "test_hot_tenant_is_isolated"

REQUIREMENTS = (
    Requirement("1.1", "For any `tenant_id` (a string), it returns a list of `shard_size` "
                "**different** queue numbers, from `0` to `nodes - 1`, as plain Python "
                "`int`s", (VALID, EVEN),
                leaves_open="The order of the queues in the list (checks compare shards as "
                "sets), and a tuple instead of a list."),
    Requirement("1.2", "The same tenant must get the same shard on every call, in every "
                "process, on every machine.", (VALID, STABLE),
                leaves_open="Which stable hash: any whose result does not change from one "
                "Python process to the next (random.Random seeded with the id's string is "
                "one: it hashes a string seed with SHA-512)."),
    Requirement("1.3", "Every one of the C(N, K) shards should be equally likely, so that "
                "tenants spread over all of them, and over all the queues.", (EVEN, HOT),
                leaves_open="How the shard follows from the hash: any method whose shards "
                "are equally likely passes (a shuffle driven by the hash, the K best scores, "
                "the hash's rank among all shards, a generator seeded with it)."),
    Requirement("2.1", "a list of K + 1 plain Python floats, where entry `k` is the "
                "probability that the two shards share exactly `k` queues",
                (OVERLAP_SMALL, OVERLAP_EXACT),
                leaves_open="A tuple instead of a list, and an int where the probability is "
                "a whole number (0 or 1). Values are compared to 1e-9 relatively, or 1e-15 "
                "absolutely, so any order of float arithmetic passes."),
    Requirement("2.2", "It shares k of them with the first shard in C(K, k) · C(N − K, K − k) "
                "ways, out of C(N, K) shards.", (OVERLAP_SMALL, OVERLAP_EXACT)),
    Requirement("3.1", "Find the tenant's shard with your `shuffle_shard(tenant_id, "
                "len(queue_urls), shard_size)`.", (SHORTEST, HOT)),
    Requirement("3.2", "Ask every time. Other producers and pollers change the queues, and "
                "your own code sees only its own sends.", (FRESH_DEPTH,),
                leaves_open="Asking about more queues than the shard's costs nothing, and so "
                "does counting in-flight messages too (ApproximateNumberOfMessagesNotVisible): "
                "no queue holds any while enqueue runs in the tests."),
    Requirement("3.3", "Send the body to the queue with the fewest messages (any of them, on a "
                "tie), and return that queue's number.", (SHORTEST, HOT),
                leaves_open="Which queue on a tie."),
    Requirement("4.1", "Receive up to 10 messages (`MaxNumberOfMessages=10`, the most one call "
                "returns) from the **next queue in turn**: queue 0, then 1, and so on up to N "
                "− 1, then back to 0.", (TURNS,),
                leaves_open="Other parameters of the receive (a long poll's WaitTimeSeconds, "
                "a VisibilityTimeout): only the queue and how many messages come back are "
                "checked."),
    Requirement("4.2", "Call `handle(message[\"Body\"])` for each message, and delete the "
                "message once `handle` returns.", (FAILURES,),
                leaves_open="The order in which a batch's messages are handled, and whether "
                "they are deleted one by one or in a batch, once handled."),
    Requirement("4.3", "If `handle` raises, whatever the error, leave that message alone (SQS "
                "delivers it again after its visibility timeout) and go on with the others.",
                (FAILURES,)),
    Requirement("4.4", "Return the number of messages received.", (TURNS, FAILURES)),
    Requirement("5.1", "when any one of 200 tenants turns hot, at least 95% of the others must "
                "keep a queue that the hot tenant does not use", (HOT,)),
    Requirement("5.2", "Every tenant with a queue that the hot tenant does not use must be "
                "served within 3 rounds of polling.", (HOT,)),
)

NODES, SHARD_SIZE = 8, 2  # the talk's example, and the lab's queues
ISOLATED_SHARE = 0.95  # of other tenants, keeping a queue the hot tenant does not use
TENANTS = [f"tenant-{n:04d}" for n in range(400)] + ["ACME Corp", "café", "a/b:c", "0", "00"]
RECEIVE_MAX = SQS_BATCH_MAX_ENTRIES  # messages one ReceiveMessage returns at most
PROPERTY_EXAMPLES = 30  # generated inputs per property: each crosses the process boundary

# How unlikely an even spread must be to fail: a correct answer fails a chi-squared check by
# chance about once in ten million gradings (the normal quantile of that tail).
FALSE_ALARM_Z = 5.2
# The shard-level spread: N queues in shards of N - 2, so C(N, 2) possible shards, each
# expected this many times. A spread over fewer shards (neighbouring queues) misses some;
# big shards of few queues show any pattern in how the queues are picked (a collision
# moved to the next queue, picks that reuse the same bits of the hash).
SHARD_LEVEL_NODES = (8, 9)  # with shards of N - 2: 28 or 36 shards to count
# Shards far from both 2 and N - 2 (56 of them): a picking pattern that is even for K = 2
# and K = N - 2 (a start and a stride, say) shows here.
MIDDLE_NODES, MIDDLE_SHARD_SIZES = 8, (3, 5)
TENANTS_PER_SHARD = 20
# The queue-level spread: many queues that do not divide 256, so that one byte of a hash
# modulo N favours the low queues by half, and big shards to see each tenant K times.
MANY_NODES_RANGE = (100, 112)
BIG_SHARD_RANGE = (10, 12)
QUEUE_HITS = 5_000  # tenants x K: about 45 a queue


def _shard(shuffle_shard, tenant: str, nodes: int, shard_size: int) -> list[int]:
    """The learner's shard for ``tenant``, checked to be K distinct queues of N, sorted."""
    call = f"shuffle_shard({tenant!r}, {nodes}, {shard_size})"
    shard = shuffle_shard(tenant, nodes, shard_size)
    expect(isinstance(shard, (list, tuple)) and all(
        isinstance(q, int) and not isinstance(q, bool) for q in shard),
           f"{call} should return a list of queue numbers (plain Python ints: convert "
           f"numpy's with int()); it returned {shard!r}.")
    expect(len(shard) == shard_size and len(set(shard)) == shard_size,
           f"{call} returned {list(shard)}: a shard is {shard_size} different queue(s). A "
           "queue named twice is one queue fewer to escape to when a neighbour turns hot.")
    expect(all(0 <= q < nodes for q in shard),
           f"{call} returned {list(shard)}: queue numbers run from 0 to {nodes - 1}.")
    return sorted(shard)


# -- tenant ids ---------------------------------------------------------------------------------

PREFIXES = ("tenant-", "customer-", "acct_", "org/", "user", "", "t")
DOMAINS = ("example.com", "acme.io", "corp.example")


def _tenant_family(rng: random.Random, count: int) -> list[str]:
    """``count`` distinct tenant ids shaped as real ones are: a prefix and a running number
    (zero-padded or not), e-mail addresses, or UUIDs. Ids that differ in a character or two
    are where a weak hash (a sum of characters, a CRC) gives itself away."""
    start, prefix = rng.randrange(10_000), rng.choice(PREFIXES)
    shapes: list[Callable[[int], str]] = [
        lambda n: f"{prefix}{n}",
        lambda n: f"{prefix}{n:06d}",
        lambda n: f"user{n}@{rng.choice(DOMAINS)}",
        lambda _: str(uuid.UUID(int=rng.getrandbits(128))),
    ]
    shape = rng.choice(shapes)
    ids = dict.fromkeys(shape(start + n) for n in range(count))
    while len(ids) < count:  # two UUIDs, or two e-mails, came out the same
        ids[shape(start + len(ids) + rng.randrange(10**9))] = None
    return list(ids)


def tenant_ids() -> st.SearchStrategy[str]:
    """Any tenant id: a running-number id, or any text at all (accents, symbols, digits)."""
    numbered = st.builds(lambda prefix, n: f"{prefix}{n}", st.sampled_from(PREFIXES),
                         st.integers(0, 10**9))
    return st.one_of(numbered, st.text(min_size=1, max_size=24))


# -- 1. assignment ----------------------------------------------------------------------------

MAX_NODES = 200  # the hidden checks' queues: a few hundred at most, as the lab says
MAX_SHARD_SIZE = 10
FEW_NODES = 12  # half the generated N are this small: big shards of few queues repeat easily


@st.composite
def _shard_calls(draw) -> tuple[str, int, int]:
    """A tenant, N and K: any N up to a few hundred, any K from 1 to min(N, 10), the edges
    (K = 1, K = N) often."""
    nodes = draw(st.one_of(st.integers(1, FEW_NODES), st.integers(1, MAX_NODES)))
    sizes = st.integers(1, min(nodes, MAX_SHARD_SIZE))
    shard_size = draw(st.one_of(sizes, st.sampled_from(sorted({1, min(nodes, 2), nodes})))
                      if nodes <= MAX_SHARD_SIZE else sizes)
    return draw(tenant_ids()), nodes, shard_size


def _expect_same_shard(first: list[int], again: list[int], call: str) -> None:
    """Two calls with the same arguments gave the same shard."""
    expect(first == again,
           f"{call} gave {first}, then {again}: a tenant must get the same shard every time, "
           "or its messages scatter over every queue (and so do a hot tenant's). Derive the "
           "shard from a hash of the tenant id, not from fresh randomness.")


def check_shard_is_valid(shuffle_shard) -> None:
    """K distinct queues of N, the same on every call, over many shards (8 queues, 2 each)."""
    for tenant in TENANTS[:20] + TENANTS[-5:]:
        first = _shard(shuffle_shard, tenant, NODES, SHARD_SIZE)
        again = _shard(shuffle_shard, tenant, NODES, SHARD_SIZE)
        _expect_same_shard(first, again, f"shuffle_shard({tenant!r}, 8, 2)")
    shards = {tuple(_shard(shuffle_shard, t, NODES, SHARD_SIZE)) for t in TENANTS[:100]}
    expect(len(shards) >= 20,
           f"100 tenants got only {len(shards)} different shards of the 28 that 8 queues make. "
           "Tenants should be spread over all of them.")


@varied
def check_shard_for_any_tenant(shuffle_shard, *, seed: int) -> None:
    """The same for any tenant id, any N up to a few hundred and any K from 1 to N."""

    def prove(call: tuple[str, int, int]) -> None:
        first = _shard(shuffle_shard, *call)
        _expect_same_shard(first, _shard(shuffle_shard, *call),
                           "shuffle_shard({!r}, {}, {})".format(*call))

    for_all(_shard_calls(), prove, seed=seed, examples=PROPERTY_EXAMPLES,
            show=lambda call: "shuffle_shard({!r}, {}, {})".format(*call))


FRESH_PROCESS_CALLS = 24  # tenants, N and K asked in the fresh process


@varied
@uses_fresh_processes
def check_stable_across_processes(shuffle_shard, *, seed: int) -> None:
    """The same shards in a fresh Python process (another string-hash seed)."""
    rng = random.Random(seed)
    tenants = _tenant_family(rng, FRESH_PROCESS_CALLS - 4) + ["ACME Corp", "café", "a/b:c", "0"]
    calls = [(t, NODES, SHARD_SIZE) if n % 2 else
             (t, rng.randint(3, MAX_NODES), rng.randint(1, 3)) for n, t in enumerate(tenants)]
    here = [_shard(shuffle_shard, *call) for call in calls]
    for elsewhere in calls_in_fresh_processes(shuffle_shard, calls):
        moved = [call for call, a, b in zip(calls, here, elsewhere, strict=True)
                 if not isinstance(b, list) or sorted(b) != a]
        expect(not moved,
               f"Run in a fresh Python process, shuffle_shard gave {len(moved)} of "
               f"{len(calls)} tenants a different shard (e.g. "
               "shuffle_shard({!r}, {}, {})). ".format(*(moved or [("", 0, 0)])[0]) +
               "Python's hash() of a string changes from one process to the next (it is "
               "salted at start-up), and so does the order of a set of strings: after a "
               "restart, or on the next machine, tenants would move queues. Use a stable "
               "hash such as hashlib.sha256.")


def _chi_squared(counts: Counter, categories: list) -> float:
    """Pearson's statistic for ``counts`` against an even spread over ``categories``."""
    expected = sum(counts.values()) / len(categories)
    return sum((counts.get(c, 0) - expected) ** 2 / expected for c in categories)


def _chi_squared_limit(degrees: int, z: float = FALSE_ALARM_Z) -> float:
    """The chi-squared value that an even spread exceeds with the normal tail probability of
    ``z`` (Wilson and Hilferty's cube-root approximation, close for 9 degrees and more)."""
    spread = math.sqrt(2 / (9 * degrees))
    return degrees * (1 - 2 / (9 * degrees) + z * spread) ** 3


def _expect_every_shard_used(shuffle_shard, nodes: int, shard_size: int,
                             rng: random.Random) -> None:
    """Tenants spread evenly over every one of the C(N, K) shards."""
    possible = list(itertools.combinations(range(nodes), shard_size))
    tenants = _tenant_family(rng, TENANTS_PER_SHARD * len(possible))
    per_shard = Counter(tuple(_shard(shuffle_shard, t, nodes, shard_size)) for t in tenants)
    statistic, limit = _chi_squared(per_shard, possible), _chi_squared_limit(len(possible) - 1)
    hint = (f"Some shards never come up: {shard_size} neighbouring queues, for instance, "
            f"make only {nodes} shards, not {len(possible)}; so do queues a fixed stride "
            "apart." if len(per_shard) < len(possible)
            else "Some shards come up far more often than others: look for a pattern in how "
            "the queues are picked (a repeated queue moved on to the next one, the same bits "
            "of the hash used for two picks).")
    expect(len(per_shard) == len(possible) and statistic < limit,
           f"{len(tenants):,} tenants (such as {tenants[0]!r}) over {nodes} queues in shards "
           f"of {shard_size} used {len(per_shard)} of the {len(possible)} possible shards, "
           f"from {min(per_shard.get(s, 0) for s in possible)} to {max(per_shard.values())} "
           f"tenants a shard, {TENANTS_PER_SHARD} expected (chi-squared {statistic:.0f}, "
           f"goal under {limit:.0f}). The fewer shards in use, or the more unevenly, the "
           f"more tenants share all their queues with a hot one. {hint}")


def _expect_every_queue_loaded(shuffle_shard, rng: random.Random) -> None:
    """Tenants spread evenly over the queues of many (N that does not divide 256)."""
    nodes, shard_size = rng.randint(*MANY_NODES_RANGE), rng.randint(*BIG_SHARD_RANGE)
    tenants = _tenant_family(rng, QUEUE_HITS // shard_size)
    per_queue = Counter(q for t in tenants for q in _shard(shuffle_shard, t, nodes, shard_size))
    statistic, limit = _chi_squared(per_queue, list(range(nodes))), _chi_squared_limit(nodes - 1)
    expected = len(tenants) * shard_size / nodes
    expect(statistic < limit,
           f"{len(tenants):,} tenants (such as {tenants[0]!r}) over {nodes} queues in shards "
           f"of {shard_size} loaded the queues unevenly: from "
           f"{min(per_queue.get(q, 0) for q in range(nodes))} to {max(per_queue.values())} "
           f"tenants a queue, {expected:.0f} expected (chi-squared {statistic:.0f}, goal "
           f"under {limit:.0f}). A hash taken modulo a number that does not divide its range "
           f"(one byte, 0-255, modulo {nodes}) favours the low queues; so do a short hash, "
           "and a sum of characters.")


@varied
def check_shards_spread_evenly(shuffle_shard, *, seed: int) -> None:
    """Tenants spread evenly over all C(N, K) shards, and over the queues."""
    rng = random.Random(seed)
    nodes = rng.choice(SHARD_LEVEL_NODES)
    _expect_every_shard_used(shuffle_shard, nodes, nodes - 2, rng)  # repeats moved on
    _expect_every_shard_used(shuffle_shard, MIDDLE_NODES, rng.choice(MIDDLE_SHARD_SIZES), rng)
    _expect_every_queue_loaded(shuffle_shard, rng)


# -- 2. overlap -------------------------------------------------------------------------------

RELATIVE_TOLERANCE = 1e-9  # float arithmetic in any order stays far closer than this
ABSOLUTE_TOLERANCE = 1e-15  # a rounding residue where the probability is 0, or nearly
MAX_OVERLAP_NODES = 300
MAX_OVERLAP_SHARD_SIZE = 15
EDGE_CASES = ((100, 5), (5, 3), (4, 4), (8, 1), (1, 1), (2048, 4), (7, 6))


def _hypergeometric(nodes: int, shard_size: int) -> list[float]:
    """The instructions' formula: P(share k) = C(K, k) C(N - K, K - k) / C(N, K), k = 0..K."""
    shards = math.comb(nodes, shard_size)
    return [math.comb(shard_size, k) * math.comb(nodes - shard_size, shard_size - k) / shards
            for k in range(shard_size + 1)]


def _check_overlap(overlap_distribution, nodes: int, shard_size: int) -> None:
    """``overlap_distribution(nodes, shard_size)`` is the hypergeometric distribution."""
    got = overlap_distribution(nodes, shard_size)
    exact = _hypergeometric(nodes, shard_size)
    call = f"overlap_distribution({nodes}, {shard_size})"
    expect(isinstance(got, (list, tuple)) and all(
        isinstance(p, (int, float)) and not isinstance(p, bool) for p in got),
           f"{call} should return a list of probabilities, as plain Python floats; it returned "
           f"{got!r}. Convert a Fraction or a numpy value with float().")
    expect(len(got) == shard_size + 1,
           f"{call} should have {shard_size + 1} entries, for sharing 0 to {shard_size} "
           f"queues; it has {len(got)}: {list(got)}.")
    expect(abs(sum(got) - 100) > 1e-6,
           f"{call} adds up to 100: return probabilities (0 to 1), not percentages.")
    for k in range(shard_size + 1):
        expect(math.isclose(got[k], exact[k], rel_tol=RELATIVE_TOLERANCE,
                            abs_tol=ABSOLUTE_TOLERANCE),
               f"{call}[{k}], the chance of sharing exactly {k} queue(s), should be "
               f"{exact[k]:.6g}; it is {got[k]:.6g}. The other tenant's shard is drawn "
               "without replacement: C(K, k) ways to pick the shared queues, C(N-K, K-k) for "
               "the rest, out of C(N, K) shards (the hypergeometric distribution). An "
               "impossible overlap (when 2K > N, two shards must share some queues) is 0.")


def check_overlap_small(overlap_distribution) -> None:
    """The talk's table: 8 queues, shards of 2."""
    _check_overlap(overlap_distribution, 8, 2)


def check_overlap_edges(overlap_distribution) -> None:
    """The talk's 100 and 5, and the edges: K = N, K = 1, impossible overlaps, big N."""
    for nodes, shard_size in EDGE_CASES:
        _check_overlap(overlap_distribution, nodes, shard_size)


@st.composite
def _overlap_sizes(draw) -> tuple[int, int]:
    """N up to 300 and K from 1 to min(N, 15): shards that must overlap (2K > N) included."""
    nodes = draw(st.integers(1, MAX_OVERLAP_NODES))
    return nodes, draw(st.integers(1, min(nodes, MAX_OVERLAP_SHARD_SIZE)))


@varied
def check_overlap_exact(overlap_distribution, *, seed: int) -> None:
    """The overlap is exact for any N and K."""
    for_all(_overlap_sizes(), lambda sizes: _check_overlap(overlap_distribution, *sizes),
            seed=seed, examples=PROPERTY_EXAMPLES,
            show=lambda sizes: "overlap_distribution({}, {})".format(*sizes))


# -- the queues -------------------------------------------------------------------------------


@dataclass
class Receive:
    """One ReceiveMessage call of the learner's client: where, and what came back."""

    url: str
    asked: object  # MaxNumberOfMessages as passed (None if left out)
    bodies: list[str] = field(default_factory=list)


@dataclass
class World:
    """One test's queues. The test fills and reads them through moto's model (no API call,
    no receive count, no visibility change); the learner's code gets ``sqs``, a client of
    its own, whose receives are recorded."""

    clock: SimClock
    sqs: BaseClient  # the learner's client
    names: list[str]
    urls: list[str]
    receives: list[Receive] = field(default_factory=list)

    def _queue(self, queue: int):
        return _sqs_model().get_queue(self.names[queue])

    def add(self, queue: int, bodies: list[str]) -> None:
        """Put messages in a queue behind the learner's back, as other producers do: sent
        now (by the simulated clock), as moto's own send does, without its validation of
        every queue attribute at every message (milliseconds each)."""
        from moto.sqs.models import Message

        target = self._queue(queue)
        for body in bodies:
            message = Message(str(uuid.uuid4()), body)
            message.mark_sent()
            target.add_message(message)

    def bodies(self, queue: int) -> list[str]:
        """Every message's body in a queue, in-flight ones included."""
        return [message.body for message in self._queue(queue)._messages]

    def visible_bodies(self, queue: int) -> list[str]:
        """The bodies of the messages a receive could return now (not in flight)."""
        return [message.body for message in self._queue(queue)._messages if message.visible]

    def waiting(self, queue: int) -> int:
        """What SQS reports as ApproximateNumberOfMessages: the visible messages."""
        return self._queue(queue).approximate_number_of_messages

    def set_depth(self, queue: int, depth: int, tenant: str = "somebody-else") -> None:
        """Make a queue hold exactly ``depth`` messages of others (tenant ``tenant``)."""
        self._queue(queue)._messages.clear()
        self.add(queue, [json.dumps({"tenant": tenant, "n": n}) for n in range(depth)])

    def watch_receives(self) -> None:
        """Record every ReceiveMessage of the learner's client, and what it returned."""
        def before(params, **_):
            self.receives.append(Receive(params.get("QueueUrl"),
                                         params.get("MaxNumberOfMessages")))

        def after(parsed, **_):
            if self.receives:
                self.receives[-1].bodies = [m.get("Body") for m in parsed.get("Messages", [])]

        self.sqs.meta.events.register("before-parameter-build.sqs.ReceiveMessage", before)
        self.sqs.meta.events.register("after-call.sqs.ReceiveMessage", after)


def _sqs_model():
    """moto's SQS of the sandbox's account and region: its queues, as Python objects."""
    from moto.sqs.models import sqs_backends

    return sqs_backends[ACCOUNT_ID][REGION]


@contextmanager
def _world(queues: int = NODES, max_calls: int | None = None) -> Iterator[World]:
    """``queues`` empty moto SQS queues in simulated time, and the learner's client (which
    raises ``TooManyCalls`` past ``max_calls`` calls, if given). The queues are made in
    moto's model, as CreateQueue makes them, without a call each."""
    clock, names = SimClock(), [f"work-{q}" for q in range(queues)]
    with aws_sandbox(clock=clock) as aws:
        for name in names:
            _sqs_model().create_queue(name)
        sqs = aws.client("sqs")
        if max_calls is not None:
            stop_runaway(sqs, "SQS", max_calls)
        yield World(clock, sqs, names, [f"https://sqs.{REGION}.amazonaws.com/{ACCOUNT_ID}/{name}"
                                        for name in names])


def _message(tenant: str, n: int = 0) -> str:
    return json.dumps({"tenant": tenant, "n": n})


# -- 3. enqueue -------------------------------------------------------------------------------


def _enqueue(world: World, enqueue, urls: list[str], tenant: str, body: str,
             shard_size: int) -> int:
    """Call the learner's enqueue; check it returned a queue number and that the body was
    sent, once, to that queue and to no other."""
    before = {url: world.bodies(world.urls.index(url)).count(body) for url in urls}
    sent = enqueue(world.sqs, urls, tenant, body, shard_size)
    expect(isinstance(sent, int) and not isinstance(sent, bool) and 0 <= sent < len(urls),
           f"enqueue should return the number of the queue it sent to (0 to {len(urls) - 1}, "
           f"its place in queue_urls); it returned {sent!r}.")
    landed = [n for n, url in enumerate(urls)
              if world.bodies(world.urls.index(url)).count(body) > before[url]]
    expect(landed == [sent],
           f"enqueue returned {sent}, but the body went to queue(s) {landed} of queue_urls. "
           f"Send the body itself ({body!r}), once, to the queue whose number you return.")
    return sent


def _expect_in_shard(sent: int, shard: list[int], tenant: str, nodes: int, size: int) -> None:
    """3.1: the queue is one of the tenant's shard."""
    expect(sent in shard,
           f"{tenant}'s shard is shuffle_shard({tenant!r}, {nodes}, {size}) = {shard}, but "
           f"enqueue sent to queue {sent}. Find the shard with len(queue_urls) and the "
           "shard_size you are given: a tenant must only ever use its own shard. A queue "
           "outside it belongs to other tenants, whose isolation depends on you staying out.")


def _expect_shortest(sent: int, depths: dict[int, int], tenant: str) -> None:
    """3.3: the queue is one of the shard's shortest."""
    fewest = min(depths.values())
    as_text = min(depths, key=lambda q: str(depths[q]))
    hint = (" The depths come back as strings: compare them as numbers (int()), or '10' "
            "comes before '9'." if depths[sent] == depths[as_text] else "")
    expect(depths[sent] == fewest,
           f"The queues of {tenant}'s shard held {depths} messages (queue: depth); enqueue "
           f"sent to queue {sent}, which held {depths[sent]}. Send to the shortest queue of "
           f"the shard (any of them, on a tie), so that a queue backed up by a hot "
           f"neighbour is avoided.{hint}")


def check_enqueue_picks_shortest(enqueue, shuffle_shard) -> None:
    """8 queues, shards of 2: the shorter of the tenant's two queues."""
    tenant = "tenant-0007"
    first, second = _shard(shuffle_shard, tenant, NODES, SHARD_SIZE)
    with _world() as world:
        world.set_depth(first, 5)
        world.set_depth(second, 2)
        sent = _enqueue(world, enqueue, world.urls, tenant, _message(tenant), SHARD_SIZE)
        _expect_in_shard(sent, [first, second], tenant, NODES, SHARD_SIZE)
        _expect_shortest(sent, {first: 5, second: 2}, tenant)


WORLD_QUEUES = 12  # the hidden enqueue checks pick their N queues among these
ENQUEUE_CASES = 10
MAX_ENQUEUE_SHARD = 3
MAX_DEPTH = 24
DEPTH_PAIRS = ((9, 10), (10, 9), (2, 11), (19, 3), (1, 10))  # where '10' < '9' as text


def _depths(rng: random.Random, shard: list[int]) -> dict[int, int]:
    """Depths for a shard's queues: random, tied, or straddling a power of ten."""
    depths = {q: rng.randint(0, MAX_DEPTH) for q in shard}
    shape = rng.random()
    if shape < 0.3 and len(shard) >= 2:
        low, high = rng.choice(DEPTH_PAIRS)
        a, b = rng.sample(shard, 2)
        depths.update({q: max(low, high) + rng.randint(0, 5) for q in shard})
        depths.update({a: low, b: high})
    elif shape < 0.45:
        depths = dict.fromkeys(shard, rng.randint(0, MAX_DEPTH))
    return depths


@varied
def check_enqueue_any_shard(enqueue, shuffle_shard, *, seed: int) -> None:
    """Any N, any K, any depths: a shortest queue of the tenant's shard, the body as given."""
    rng = random.Random(seed)
    with _world(WORLD_QUEUES) as world:
        for case in range(ENQUEUE_CASES):
            nodes = rng.randint(2, WORLD_QUEUES)
            size = rng.randint(1, min(nodes, MAX_ENQUEUE_SHARD))
            chosen = rng.sample(range(WORLD_QUEUES), nodes)  # queue_urls: any of the world's
            urls = [world.urls[q] for q in chosen]
            tenant = _tenant_family(rng, 1)[0]
            shard = _shard(shuffle_shard, tenant, nodes, size)
            depths = _depths(rng, shard)
            for number, queue in enumerate(chosen):
                others = rng.choice([0, rng.randint(0, MAX_DEPTH)])  # outside: often emptier
                world.set_depth(queue, depths.get(number, others))
            body = json.dumps({"tenant": tenant, "case": case, "note": rng.choice(["é", "x"])},
                              ensure_ascii=False)
            sent = _enqueue(world, enqueue, urls, tenant, body, size)
            _expect_in_shard(sent, shard, tenant, nodes, size)
            _expect_shortest(sent, depths, tenant)


SENDS_WHILE_OTHERS_WORK = 8


def _shortest_queues(rng: random.Random, shard: list[int]) -> list[int]:
    """Which queue of the shard is the shortest at each send: it moves, and it stays, both
    at least once. Code that reads the depths once fails where it moves; code that spreads
    its own sends in turn fails where it stays."""
    while True:
        order = [rng.choice(shard) for _ in range(SENDS_WHILE_OTHERS_WORK)]
        pairs = list(itertools.pairwise(order))
        if any(a == b for a, b in pairs) and any(a != b for a, b in pairs):
            return order


@varied
def check_enqueue_reads_depth_from_sqs(enqueue, shuffle_shard, *, seed: int) -> None:
    """Other producers and pollers change the queues between sends: each send asks SQS."""
    rng = random.Random(seed)
    nodes, size = rng.randint(4, NODES + 4), rng.randint(2, 3)
    tenant = _tenant_family(rng, 1)[0]
    shard = _shard(shuffle_shard, tenant, nodes, size)
    with _world(nodes) as world:
        wrong = []
        for step, shortest in enumerate(_shortest_queues(rng, shard)):
            depths = {q: rng.randint(6, MAX_DEPTH) for q in shard}
            depths[shortest] = rng.randint(0, 5)
            for queue, depth in depths.items():
                world.set_depth(queue, depth)
            sent = _enqueue(world, enqueue, world.urls, tenant, _message(tenant, step), size)
            _expect_in_shard(sent, shard, tenant, nodes, size)
            if sent != shortest:
                wrong.append(f"{depths} -> {sent}")
        expect(not wrong,
               f"Other producers and pollers kept changing the depths of {tenant}'s queues "
               f"{shard}; enqueue missed the shortest in {len(wrong)} of "
               f"{SENDS_WHILE_OTHERS_WORK} sends (depths -> queue chosen: {wrong[:2]}). Ask "
               "SQS (GetQueueAttributes, ApproximateNumberOfMessages) each time: a count kept "
               "by your own code, or read once, sees only your own sends, never anyone "
               "else's.")


# -- 4. polling -------------------------------------------------------------------------------


def _handled_bodies() -> tuple[list[dict], Callable[[str], None]]:
    handled: list[dict] = []

    def handle(body: str) -> None:
        handled.append(json.loads(body))

    return handled, handle


def check_poller_is_fair(make_poller) -> None:
    """A deep queue 0 and seven shallow ones: one round takes 10 from queue 0, then serves
    every shallow one."""
    with _world() as world:
        world.set_depth(0, 300, tenant="hot")
        for queue in range(1, NODES):
            world.add(queue, [_message(f"quiet-{queue}", n) for n in range(3)])
        world.watch_receives()
        handled, handle = _handled_bodies()
        poll = make_poller(world.sqs, world.urls, handle)
        for number in range(NODES):
            waiting = world.waiting(number)
            got, receives = _poll_once(world, poll, number)
            receive = _expect_turn(world.urls, number, receives, waiting)
            _expect_count(got, receive, number)
        quiet = sum(1 for body in handled if body["tenant"] != "hot")
        expect(quiet == 3 * (NODES - 1),
               f"Queue 0 held 300 messages of a hot tenant; queues 1 to 7 held 3 each. After "
               f"{NODES} polls, {quiet} of the 21 quiet messages were handled (and "
               f"{len(handled) - quiet} hot ones). Take the queues in turn: a poller that "
               "serves the deepest queue, or the first, lets one tenant's backlog starve "
               "everyone else's queues, which is what sharding was for.")


def _poll_once(world: World, poll, number: int) -> tuple[int, list[Receive]]:
    """Call ``poll()`` once; what it returned, and the receives it made."""
    seen = len(world.receives)
    got = poll()
    expect(isinstance(got, int) and not isinstance(got, bool),
           f"poll() number {number + 1} returned {got!r}: it should return the number of "
           "messages it received, an int.")
    return got, world.receives[seen:]


def _expect_count(got: int, receive: Receive, number: int) -> None:
    """4.4: poll() returned how many messages its receive brought."""
    expect(got == len(receive.bodies),
           f"Poll number {number + 1} received {len(receive.bodies)} message(s) but returned "
           f"{got}. Return the number of messages received (0 when the queue was empty).")


def _expect_turn(urls: list[str], number: int, receives: list[Receive],
                 waiting: int) -> Receive:
    """4.1: poll ``number`` (from 0) received once, from queue ``number % N``, as many
    messages as SQS gives to a receive of 10."""
    nodes, due = len(urls), number % len(urls)
    where = [urls.index(r.url) if r.url in urls else r.url for r in receives]
    expect(where == [due],
           f"Poll number {number + 1} should receive once, from queue {due} (queue 0 first, "
           f"then 1, ... {nodes - 1}, then 0 again); it received from {where or 'no queue'} "
           f"(in order, of queues 0 to {nodes - 1}). Taking turns means every queue gets its "
           "share, a deep one no more; one receive a poll, from the next queue in turn.")
    receive = receives[0]
    expected = min(RECEIVE_MAX, waiting)
    expect(len(receive.bodies) == expected,
           f"Poll number {number + 1} received {len(receive.bodies)} message(s) from queue "
           f"{due}, which held {waiting} (MaxNumberOfMessages={receive.asked!r}). Ask for 10, "
           "the most one receive returns: a deep queue's turn then takes up to 10 of its "
           "messages.")
    return receive


POLLER_CALLS = 600  # far more SQS calls than the polls of any hidden poller check need


@varied
def check_poller_takes_turns(make_poller, *, seed: int) -> None:
    """Any N: poll k receives up to 10 messages from queue k mod N, and returns how many."""
    rng = random.Random(seed)
    nodes = rng.randint(2, 9)
    depths = [rng.choice([0, 1, rng.randint(2, 4)]) for _ in range(nodes)]
    depths[rng.randrange(nodes)] = rng.randint(RECEIVE_MAX + 1, RECEIVE_MAX + 4)  # a full turn
    with _world(nodes, POLLER_CALLS) as world:
        for queue, depth in enumerate(depths):
            world.add(queue, [_message(f"t{queue}", n) for n in range(depth)])
        world.watch_receives()
        handled, handle = _handled_bodies()
        poll = make_poller(world.sqs, world.urls, handle)
        for number in range(2 * nodes + rng.randint(1, nodes)):  # round three begins
            waiting = world.waiting(number % nodes)
            got, receives = _poll_once(world, poll, number)
            _expect_count(got, _expect_turn(world.urls, number, receives, waiting), number)


FAILING_SHARE = 0.4
HANDLE_ERRORS: tuple[Callable[[], Exception], ...] = (
    lambda: RuntimeError("the downstream call failed"),
    lambda: ValueError("bad field in the message"),
    lambda: KeyError("customer"),
    lambda: TimeoutError("the downstream call timed out"),
    lambda: ConnectionError("connection reset by peer"),
    lambda: ZeroDivisionError("division by zero"),
    lambda: json.JSONDecodeError("Expecting value", "{", 1),
    lambda: client_error("ProvisionedThroughputExceededException", 400, "PutItem"),
    lambda: client_error("InternalServerError", 500, "PutItem"),
    lambda: Exception("something went wrong"),
)


class _Handler:
    """The test's ``handle``: records every call, raises the error chosen for a failing
    message, and sees that no message is deleted before it is handled."""

    def __init__(self, world: World, failing: dict[str, Callable[[], Exception]],
                 queue_of: dict[str, int]):
        self.world, self.failing, self.queue_of = world, failing, queue_of
        self.calls: list[str] = []
        self.deleted_first: list[str] = []

    def __call__(self, body: str) -> None:
        self.calls.append(body)
        if body in self.queue_of and body not in self.world.bodies(self.queue_of[body]):
            self.deleted_first.append(body)
        if body in self.failing:
            raise self.failing[body]()


def _fill_with_failures(world: World, rng: random.Random, nodes: int
                        ) -> tuple[dict[str, Callable[[], Exception]], dict[str, int]]:
    """Fill the queues: some messages fail in handle, each with the next error of a shuffled
    list of every kind; the first to fail is the first of a deep queue, so that a batch
    holds successes after a failure."""
    failing, queue_of = {}, {}
    errors = itertools.cycle(rng.sample(HANDLE_ERRORS, len(HANDLE_ERRORS)))
    deep = rng.randrange(nodes)
    for queue in range(nodes):
        depth = rng.randint(RECEIVE_MAX + 1, RECEIVE_MAX + 3) if queue == deep else \
            rng.randint(0, 5)
        bodies = [json.dumps({"tenant": f"t{queue}", "id": f"{queue}-{n}"})
                  for n in range(depth)]
        for n, body in enumerate(bodies):
            queue_of[body] = queue
            if (queue == deep and n == 0) or rng.random() < FAILING_SHARE:
                failing[body] = next(errors)
        world.add(queue, bodies)
    return failing, queue_of


def _expect_poll_handled(world: World, handler: _Handler, receive: Receive, got: int,
                         number: int, handled_before: int) -> None:
    """4.2-4.4 for one poll (number ``number``, from 0): every message received handed to
    handle once, those handled deleted (after handle returned), those that failed left in
    their queue, and the count of them all returned. (Which queue it should have read is
    4.1's business: this judges the queue it did read.)"""
    queue = world.urls.index(receive.url) if receive.url in world.urls else number % len(
        world.urls)
    calls = handler.calls[handled_before:]
    missed = [b for b in receive.bodies if b not in calls]
    failed_here = [b for b in calls if b in handler.failing]
    after = f" (after handle raised {handler.failing[failed_here[0]]().__class__.__name__})" \
        if failed_here else ""
    expect(not missed,
           f"Poll number {number + 1} received {len(receive.bodies)} message(s) from queue "
           f"{queue} but handed {len(missed)} of them to handle{after}. Call handle for each "
           "message; when one raises, go on with the others.")
    twice = [b for b, n in Counter(calls).items() if n > 1]
    expect(sorted(calls) == sorted(receive.bodies) and not twice,
           f"Poll number {number + 1} received {len(receive.bodies)} message(s) but called "
           f"handle {len(calls)} time(s){' (some bodies twice)' if twice else ''}. Call "
           "handle once for each message received, with its Body: a failed message is tried "
           "again when SQS delivers it again, not at once.")
    expect(not handler.deleted_first,
           f"handle was given a message that was already deleted ({handler.deleted_first[:1]})."
           " Delete a message only once handle has returned: if handle fails, the message "
           "is lost.")
    lost = [b for b in receive.bodies if b in handler.failing and b not in world.bodies(queue)]
    expect(not lost,
           f"handle raised for {len(lost)} message(s) received in poll number {number + 1}, "
           f"and they are gone from queue {queue}. Leave a message whose handling failed "
           "alone: SQS delivers it again after its visibility timeout, to be tried again. "
           "Delete a message only once it has been handled.")
    released = [b for b in receive.bodies if b in handler.failing
                 and b in world.visible_bodies(queue)]
    expect(not released,
           f"handle raised for {len(released)} message(s) received in poll number "
           f"{number + 1}, and they are visible in queue {queue} again at once. Leave a "
           "message whose handling failed alone (no ChangeMessageVisibility, no resend): SQS "
           "delivers it again after its visibility timeout, which spaces out the retries.")
    kept = [b for b in receive.bodies if b not in handler.failing and b in world.bodies(queue)]
    expect(not kept,
           f"Poll number {number + 1} handled {len(kept)} message(s) from queue {queue} "
           "without deleting them: SQS will deliver them again and they will be handled "
           "twice. Delete each message once handle returns.")
    expect(got == len(receive.bodies),
           f"Poll number {number + 1} received {len(receive.bodies)} message(s) (of which "
           f"{len(failed_here)} failed in handle) but returned {got}. Return the number of "
           "messages received, whether handle succeeded or not.")


@varied
def check_poller_survives_every_error(make_poller, *, seed: int) -> None:
    """Messages fail in handle with errors of every kind: each failed message stays, every
    other one is handled once and deleted, and every poll goes on."""
    rng = random.Random(seed)
    nodes = rng.randint(2, NODES)
    with _world(nodes, POLLER_CALLS) as world:
        failing, queue_of = _fill_with_failures(world, rng, nodes)
        world.watch_receives()
        handler = _Handler(world, failing, queue_of)
        poll = make_poller(world.sqs, world.urls, handler)
        for number in range(2 * nodes):
            handled_before = len(handler.calls)
            try:
                got, receives = _poll_once(world, poll, number)
            except Exception as error:  # noqa: BLE001 - the learner's: reported
                if type(error).__name__ in STOPPING_ERRORS:
                    raise
                raise AssertionError(
                    f"Poll number {number + 1} raised {type(error).__name__}: {error} "
                    "(handle raised for one of its messages). Leave that message in its "
                    "queue, SQS delivers it again after its visibility timeout, and go on "
                    "with the rest: whatever handle raises, one bad message must not stop a "
                    "poller that serves every tenant.") from None
            expect(len(receives) == 1,
                   f"Poll number {number + 1} made {len(receives)} receive(s): one a poll.")
            _expect_poll_handled(world, handler, receives[0], got, number, handled_before)


# -- 5. a hot tenant, end to end --------------------------------------------------------------

HOT_TENANTS = 200
HOT_DEPTH = 150  # messages in each of the hot tenant's queues
HOT_SENDS = 2  # more of the hot tenant's, through enqueue
OTHER_SENDERS = 8  # half of them with one of the hot tenant's queues in their shard
ROUNDS = 3


def _isolated_share(shards: dict[str, frozenset]) -> float:
    """On average over which tenant turns hot, the share of the others that keep a queue it
    does not use."""
    tenants = list(shards)
    per_shard = Counter(shards.values())
    # The others that lose every queue are exactly those with the hot tenant's own shard
    # (a shard of K queues is inside another only if it is the same one).
    trapped = sum(per_shard[shards[t]] - 1 for t in tenants)
    return 1 - trapped / (len(tenants) * (len(tenants) - 1))


def _senders(rng: random.Random, shards: dict[str, frozenset], hot: str) -> list[str]:
    """The other tenants that send: half share one queue with the hot tenant (enqueue must
    steer them to their other queue), the rest share none or all (too few to choose from,
    their shards are as they come)."""
    one = [t for t in shards if t != hot and len(shards[t] & shards[hot]) == 1]
    rest = [t for t in shards if t != hot and len(shards[t] & shards[hot]) != 1]
    half = min(OTHER_SENDERS // 2, len(one))
    return rng.sample(one, half) + rng.sample(rest, min(OTHER_SENDERS - half, len(rest)))


@varied
def check_hot_tenant_is_isolated(shuffle_shard, enqueue, make_poller, *, seed: int) -> None:
    """400 tenants on 8 queues: a hot tenant's backlog delays only those that share its
    whole shard."""
    rng = random.Random(seed)
    tenants = _tenant_family(rng, HOT_TENANTS)
    shards = {t: frozenset(_shard(shuffle_shard, t, NODES, SHARD_SIZE)) for t in tenants}
    share = _isolated_share(shards)
    expect(share >= ISOLATED_SHARE,
           f"When one of {HOT_TENANTS} tenants (such as {tenants[0]!r}) turns hot, on average "
           f"{share:.1%} of the others keep a queue it does not use (goal: at least "
           f"{ISOLATED_SHARE:.0%}; shards spread over all 28 pairs of 8 queues give 1 - 1/28 "
           "= 96.4%). Too many tenants share the same shard.")
    hot = rng.choice(tenants)
    others = _senders(rng, shards, hot)
    with _world(NODES, POLLER_CALLS) as world:
        for queue in shards[hot]:
            world.set_depth(queue, HOT_DEPTH, tenant=hot)
        strays = [q for q in (_enqueue(world, enqueue, world.urls, hot, _message(hot, n),
                                       SHARD_SIZE) for n in range(HOT_SENDS))
                  if q not in shards[hot]]
        expect(not strays,
               f"The hot tenant's shard is queues {sorted(shards[hot])}, but enqueue sent "
               f"{len(strays)} of its {HOT_SENDS} messages to queues {sorted(set(strays))}. A "
               "hot tenant that spills into other queues takes every tenant's queues with "
               "it: keep each tenant's messages inside its own shard.")
        sent = {t: _enqueue(world, enqueue, world.urls, t, _message(t), SHARD_SIZE)
                for t in others}
        free = [t for t in others if not shards[t] <= shards[hot]]
        trapped = [t for t in free if sent[t] in shards[hot]]
        expect(not trapped,
               f"The hot tenant's queues {sorted(shards[hot])} held about {HOT_DEPTH} "
               f"messages each; {len(trapped)} tenants (e.g. {trapped[:1]}) that also have a "
               "quiet queue were sent to a hot one. Send to the shortest queue of the "
               "tenant's shard.")
        handled, handle = _handled_bodies()
        poll = make_poller(world.sqs, world.urls, handle)
        waiting = set(free)
        for _ in range(ROUNDS * NODES):
            if not waiting:
                break
            poll()
            waiting -= {body["tenant"] for body in handled}
        expect(not waiting,
               f"After {ROUNDS} rounds of polling the 8 queues, {len(waiting)} of the "
               f"{len(free)} tenants with a queue the hot tenant does not use still waited "
               f"(e.g. {sorted(waiting)[:1]}), behind the hot tenant's "
               f"{2 * HOT_DEPTH} messages. Their queues held only a few messages each: a "
               "poller that takes the queues in turn serves them in the first rounds.")

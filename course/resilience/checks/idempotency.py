"""Checks for lab 08: a charge that happens exactly once over at-least-once delivery.

The learner's code charges orders with the course's ``PaymentGateway``, which counts every
call and every charge, and keeps its idempotency records in a moto DynamoDB table behind a
``FaultInjector``. The checks hand over orders as Lambda does (records of an SQS event),
then replay them: as a redelivery, as a producer's retry (a new message, its body written
another way), concurrently with the first delivery, after a crash anywhere in the middle,
after the payment API or DynamoDB failed, and up to 14 days later from a dead-letter queue.
Hidden checks draw their orders, amounts, copies, times and faults from the submission's
seed, and try the contract on many generated cases (``properties.for_all``).

A crash is a ``Crash`` raised from inside a call the learner's code makes. It derives from
``BaseException``, as a dying process leaves no ``except Exception`` a chance to run; in the
grader the learner's process simply never gets an answer to that call.
"""

from __future__ import annotations

import hashlib
import json
import random
import string
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from functools import partial

from botocore.client import BaseClient
from botocore.exceptions import BotoCoreError, ClientError
from hypothesis import strategies as st

from resilience.aws.facts import (
    SECONDS_PER_DAY,
    SQS_MAX_RETENTION_S,
    SQS_VISIBILITY_PER_FUNCTION_TIMEOUT,
    queue_arn,
)
from resilience.aws.motoclock import SIM_EPOCH_S, moto_follows, unix_time
from resilience.checks import (
    RUNAWAY_CALLS,
    TooManyCalls,
    calls_in_fresh_processes,
    expect,
    uses_fresh_processes,
    varied,
)
from resilience.checks.properties import for_all, throttling_codes
from resilience.checks.requirements import Requirement
from resilience.clock import SimClock
from resilience.eventsources import Function, SqsEventSourceMapping, sqs_event_record
from resilience.faults import FaultInjector, Rule
from resilience.idempotency import (
    FUNCTION_TIMEOUT_S,
    GATEWAY_KEY_WINDOW_S,
    IDEMPOTENCY_TABLE,
    Crash,
    PaymentGateway,
)
from resilience.sandbox import (
    TABLE_KEY,
    Sandbox,
    aws_session,
    client_config,
    route_retry_sleeps,
)

LAB = "08-idempotency"
REQUIREMENTS = (
    Requirement("1.1", "It returns a non-empty string.",
                ("test_key_names_the_order", "test_key_is_stable")),
    Requirement("1.2", "The key is the same for every copy of an order.",
                ("test_key_names_the_order", "test_key_is_stable",
                 "test_every_copy_gets_one_receipt")),
    Requirement("1.3", "Different orders get different keys, whatever their `order_id`s look "
                       "like.",
                ("test_key_names_the_order", "test_key_is_stable")),
    Requirement("2.1", 'It puts the record `{"id": key, "status": "IN_PROGRESS", '
                       '"expires_at": ...}` into `IDEMPOTENCY_TABLE`.',
                ("test_claim_is_conditional", "test_claim_expires_with_the_lease"),
                leaves_open="Other attributes may be added to the record: checks read only "
                            "these three."),
    Requirement("2.2", "It claims with one conditional write, which DynamoDB applies "
                       "atomically.",
                ("test_claim_is_conditional", "test_claim_is_one_conditional_write")),
    Requirement("2.3", "It returns `None` if this call claimed the key.",
                ("test_claim_is_conditional", "test_claim_expires_with_the_lease")),
    Requirement("2.4", "It returns the record that stopped it otherwise, as DynamoDB gives "
                       "it.",
                ("test_claim_is_conditional", "test_claim_returns_the_record_in_the_way")),
    Requirement("2.5", "Any other error (a throttled write, a server error, a timeout, a "
                       "dropped connection) claims nothing: let it raise.",
                ("test_claim_raises_on_store_errors",),
                leaves_open="Retrying inside claim first is allowed: checks fail every call "
                            "while the claim runs, and want DynamoDB's own error to raise in "
                            "the end."),
    Requirement("2.6", "an in-progress record expires `FUNCTION_TIMEOUT_S` seconds after the "
                       "claim (whole seconds will do)",
                ("test_claim_is_conditional", "test_claim_expires_with_the_lease",
                 "test_crash_mid_way_charges_once", "test_store_errors_charge_nothing"),
                leaves_open="Rounding to whole seconds, either way: checks want expires_at "
                            "within 1 s of the claim's time plus FUNCTION_TIMEOUT_S, the key "
                            "held until 1 s before that, and free 2 s after it (a second "
                            "rounded in expires_at, another in :now)."),
    Requirement("2.7", "the condition accepts an *expired* record too",
                ("test_claim_expires_with_the_lease", "test_crash_mid_way_charges_once")),
    Requirement("2.8", 'times are stored as numbers of Unix seconds (`{"N": "..."}`)',
                ("test_claim_is_conditional", "test_claim_expires_with_the_lease",
                 "test_late_redrive_is_remembered")),
    Requirement("3.1", "It charges the record's order with "
                       "`gateway.charge(order_id, amount_cents, idempotency_key=key)`",
                ("test_duplicates_get_the_stored_response", "test_every_copy_gets_one_receipt")),
    Requirement("3.2", "It returns the payment API's receipt, the dict `gateway.charge` "
                       "returned.",
                ("test_duplicates_get_the_stored_response", "test_every_copy_gets_one_receipt")),
    Requirement("3.3", "Every copy of the order gets that same receipt, and the order is "
                       "charged once.",
                ("test_duplicates_get_the_stored_response", "test_every_copy_gets_one_receipt",
                 "test_end_to_end_exactly_once")),
    Requirement("3.4", "Charge only once your own claim succeeded.",
                ("test_claim_is_one_conditional_write", "test_store_errors_charge_nothing")),
    Requirement("3.5", "If the record in the way is `COMPLETED`, return the response stored "
                       "in it, without calling the payment API.",
                ("test_duplicates_get_the_stored_response", "test_every_copy_gets_one_receipt",
                 "test_late_redrive_is_remembered")),
    Requirement("3.6", "If it is `IN_PROGRESS`, another invocation is charging right now: "
                       "raise an exception",
                ("test_concurrent_duplicate_waits",),
                leaves_open="Which exception: any Exception will do."),
    Requirement("3.7", "Pass your key to the payment API too.",
                ("test_failed_charge_releases_its_claim", "test_crash_mid_way_charges_once",
                 "test_store_errors_charge_nothing"),
                leaves_open="Any key that is the same for every copy of the order and "
                            "differs between orders: checks count charges, not key text."),
    Requirement("3.8", "If the call raises, **release** the claim (delete the record) and "
                       "raise again",
                ("test_failed_charge_releases_its_claim",),
                leaves_open="Whether to raise the same error or another: any Exception will "
                            "do. Checks fail the call with the two errors `gateway.charge` "
                            "raises."),
    Requirement("3.9", "Write the record again with `status` `COMPLETED`, the receipt (as "
                       "JSON in a string attribute, for instance `response`) and a new "
                       "`expires_at`.",
                ("test_late_redrive_is_remembered",),
                leaves_open="The attribute's name: checks look for any string attribute that "
                            "holds the receipt as JSON."),
    Requirement("3.10", "A completed record must outlive every duplicate that can still "
                        "arrive.",
                ("test_late_redrive_is_remembered",),
                leaves_open="Counting from the charge or from when the message was sent: "
                            "checks replay a message up to 14 days after it was sent."),
    Requirement("3.11", "If a DynamoDB call fails (throttled, an error, a timeout), let it "
                        "raise",
                ("test_store_errors_charge_nothing",)),
    Requirement("4.1", "The handler calls `charge_once` for every record of the batch, even "
                       "after one raised.",
                ("test_handler_reports_failures", "test_handler_reports_every_failure")),
    Requirement("4.2", "with the `messageId` of each record whose `charge_once` raised",
                ("test_handler_reports_failures", "test_handler_reports_every_failure",
                 "test_end_to_end_exactly_once"),
                leaves_open="The order of the list is free. When nothing failed, "
                            '`{"batchItemFailures": []}`, `{}` and `None` all mean success '
                            "to Lambda, and all pass."),
    Requirement("4.3", "and only those: a record that completed is not reported.",
                ("test_handler_reports_failures", "test_handler_reports_every_failure")),
)

QUEUE = "orders"
AMOUNT_CENTS = 1999  # the visible tests' price; hidden tests draw their own
MAX_AMOUNT_CENTS = 10**6
VISIBILITY_TIMEOUT_S = SQS_VISIBILITY_PER_FUNCTION_TIMEOUT * FUNCTION_TIMEOUT_S
LEASE_ROUNDING_S = 1.0  # a lease may be rounded to whole seconds (its expiry, and :now)
REDRIVE_MARGIN_S = 60  # the oldest replay: this long before the message's 14 days are up
LONGEST_KEEP_S = 100 * 365 * SECONDS_PER_DAY  # past this, an expiry is no Unix time in seconds
CLOCK_START_SPREAD_S = 1000.0  # each world starts at a fractional time in this range
ORDER_ID_ALPHABET = string.ascii_letters + string.digits + "-_:#./"
# Order ids are any strings: with spaces, accents, other scripts, emoji (never lone
# surrogates, which no JSON producer writes), empty, or long (LONG_ORDER_ID characters: a
# raw id in a key stays within DynamoDB's 2,048 bytes even at 4 bytes a character).
WIDE_ORDER_ID_ALPHABET = ORDER_ID_ALPHABET + " \t" + "éüßøñçЖж日本語€Ω😀"
LONG_ORDER_ID = 250
MESSAGE_IDS = uuid.UUID("0b8f4e1c-6d0a-4f7e-9a57-1d2c3b4a5f60")  # namespace of test messages
SENDER_ID = "AIDAEXAMPLEPRODUCER"
INVOCATION_MAX_STORE_CALLS = 40  # DynamoDB calls one invocation may make (a few is right)
DUPLICATE_MAX_STORE_CALLS = 3  # ... and one that finds the order in progress (claim, a read)
DUPLICATE_MAX_WAIT_S = 1.0  # wall time a duplicate may take before it counts as waiting
# Generated cases per property, on top of each check's fixed cases (which hold the known
# traps): every learner call crosses a process boundary, and grading must stay fast.
KEY_EXAMPLES = 10  # pure function calls
STORE_EXAMPLES = 4  # a few claims each
FAULT_EXAMPLES = 4  # mostly calls the fault layer answers
CHARGE_EXAMPLES = 3  # several charges each
CALL_POINTS_MAX = 12  # DynamoDB calls of one charge tried as crash and race points
E2E_ORDERS = (5, 8)  # end to end: how many orders, at least and at most
E2E_BATCH_SIZES = (3, 10)  # the mapping's BatchSize: batches that mix orders
E2E_RUN_S = 3600
E2E_POLLERS = 2  # concurrent pollers (Lambda allows 2 to 1,000): fewer empty polls to run
E2E_THROTTLE_RATE = 0.25  # share of DynamoDB calls throttled end to end (botocore retries)
# A time in the table from time.time() instead of now(): the real clock is this far from
# the simulated one (else no telling them apart), and the time is this close to it (a lease,
# or the 14 days a completed record is kept, ahead of it).
WALL_CLOCK_APART_S = 30 * SECONDS_PER_DAY
WALL_CLOCK_NEAR_S = 3600
WALL_CLOCK_AHEAD_S = SQS_MAX_RETENTION_S + 2 * SECONDS_PER_DAY
DYNAMODB_ERROR_CODES = {  # errors DynamoDB answers with that no retry of the claim fixes
    "ValidationException": 400,
    "AccessDeniedException": 400,
    "ResourceNotFoundException": 400,
    "UnrecognizedClientException": 400,
    "ItemCollectionSizeLimitExceededException": 400,
    "TransactionConflictException": 400,
}


# -- orders and their messages ------------------------------------------------------------------


@dataclass(frozen=True)
class Order:
    """One order a producer sends: what a message's body carries."""

    order_id: str
    amount_cents: int
    sent_at_s: float  # Unix seconds

    def __str__(self) -> str:
        return f"order {self.order_id!r} of {self.amount_cents} cents"


BODY_LAYOUTS = 4  # ways a producer library may write the same body


def _body(order: Order, sent_at_s: float, layout: int = 0) -> str:
    """The message body for ``order``, in one of ``BODY_LAYOUTS`` layouts: the same fields
    in another order, or with other spacing."""
    fields = {"order_id": order.order_id, "amount_cents": order.amount_cents,
              "sent_at": sent_at_s}
    if layout == 1:
        return json.dumps(dict(reversed(fields.items())), indent=1)
    if layout == 2:
        return json.dumps({"amount_cents": order.amount_cents, "order_id": order.order_id,
                           "sent_at": sent_at_s}, separators=(",", ":"))
    if layout == 3:
        return json.dumps(fields, indent=2, sort_keys=True)
    return json.dumps(fields)


def _message_id(*parts: object) -> str:
    """An id as SQS makes them, the same for the same parts (so a case reruns the same)."""
    return str(uuid.uuid5(MESSAGE_IDS, "|".join(map(str, parts))))


def _record(order: Order, *, sent_at_s: float | None = None, layout: int = 0) -> dict:
    """A record of a Lambda SQS event carrying ``order``: the producer's first message, or
    (with a later ``sent_at_s``) its retry, which SQS gives a new messageId."""
    sent_s = order.sent_at_s if sent_at_s is None else sent_at_s
    body = _body(order, sent_s, layout)
    message_id = _message_id(order.order_id, sent_s)
    sent_ms = int(sent_s * 1000)
    message = {
        "MessageId": message_id,
        "ReceiptHandle": _message_id("receipt", message_id, 1),
        "Body": body,
        "MD5OfBody": hashlib.md5(body.encode()).hexdigest(),
        "Attributes": {"ApproximateReceiveCount": "1", "SentTimestamp": str(sent_ms),
                       "SenderId": SENDER_ID,
                       "ApproximateFirstReceiveTimestamp": str(sent_ms + 5)},
    }
    return sqs_event_record(message, queue_arn(QUEUE))


def _redelivered(record: dict) -> dict:
    """The same message delivered again: same messageId and body, a new receipt handle."""
    count = int(record["attributes"]["ApproximateReceiveCount"]) + 1
    return dict(record, receiptHandle=_message_id("receipt", record["messageId"], count),
                attributes=dict(record["attributes"], ApproximateReceiveCount=str(count)))


@dataclass(frozen=True)
class Copy:
    """A later copy of an order's message: a redelivery, or a producer's retry sent
    ``later_s`` after the first, its body in layout ``layout``."""

    kind: str  # "redelivery" or "producer retry"
    later_s: float = 0.0
    layout: int = 0

    def of(self, order: Order, first: dict) -> dict:
        """This copy of ``order``, whose first message was ``first``."""
        if self.kind == "redelivery":
            return _redelivered(first)
        return _record(order, sent_at_s=round(order.sent_at_s + self.later_s, 3),
                       layout=self.layout)


def _confused(order_id: str, how: int, character: str, unrelated: str) -> str:
    """Another order's id, made from ``order_id`` in a way easy to confuse with it (a
    character more or less, another case, a space more or less, its accents dropped), or
    ``unrelated``: never ``order_id`` itself."""
    middle = len(order_id) // 2
    other = [order_id + character, character + order_id, order_id[:-1], order_id[1:],
             order_id.swapcase(), order_id.upper(), order_id.lower(), unrelated,
             order_id[:middle] + " " + order_id[middle:], "".join(order_id.split()),
             order_id + " ", order_id.encode("ascii", "ignore").decode()][how]
    return other if other and other != order_id else order_id + character


CONFUSIONS = 12  # ways _confused makes another id


def _only_spacing_apart(one: str, other: str) -> bool:
    """Whether two ids differ in their whitespace alone."""
    return one != other and "".join(one.split()) == "".join(other.split())


# Hypothesis strategies, built once: a strategy made per example costs more than the example.
# Times are drawn from a few telling values, not from every millisecond: a failing case then
# shrinks in a few steps, each of which runs the learner's code again.
ORDER_IDS = st.one_of(st.integers(0, 99_999).map("o-{}".format),
                      st.text(ORDER_ID_ALPHABET, min_size=1, max_size=16),
                      st.uuids().map(str),
                      st.text(WIDE_ORDER_ID_ALPHABET, max_size=16),
                      st.text(WIDE_ORDER_ID_ALPHABET, min_size=LONG_ORDER_ID - 10,
                              max_size=LONG_ORDER_ID))
AMOUNTS = st.integers(1, MAX_AMOUNT_CENTS)
SENT_TIMES = st.builds(  # a Unix time in 2026, to the millisecond, early or late in its second
    lambda seconds, fraction: round(SIM_EPOCH_S + seconds + fraction, 3),
    st.integers(0, 200 * SECONDS_PER_DAY), st.sampled_from([0.0, 0.001, 0.5, 0.999]))
ORDERS = st.builds(Order, ORDER_IDS, AMOUNTS, SENT_TIMES)
COPY = st.one_of(st.just(Copy("redelivery")),
                 st.builds(Copy, st.just("producer retry"),
                           st.sampled_from([0.001, 1.5, 30.0, 600.0]),
                           st.integers(0, BODY_LAYOUTS - 1)))
COPIES = st.lists(COPY, min_size=1, max_size=3).map(tuple)
WITHIN_LEASE_S = st.sampled_from([0.0, 0.5, 1.75, 12.25, 27.5, FUNCTION_TIMEOUT_S - 2])


# -- the world a check runs in ------------------------------------------------------------------


class StoreCalls:
    """Counts the calls made to a DynamoDB client, and stops code that keeps calling: past
    ``limit`` calls inside a ``limited`` block it raises ``TooManyCalls`` (which no ``except
    Exception`` can swallow), with a hint at what went wrong. The test's own calls, outside
    such a block, are counted but never stopped."""

    def __init__(self, client: BaseClient):
        self.total = 0
        self._calls = 0
        self._limit: int | None = None
        self._hint = ""
        client.meta.events.register("before-call", self._count)

    @contextmanager
    def limited(self, limit: int = INVOCATION_MAX_STORE_CALLS, hint: str = "") -> Iterator[None]:
        """Allow the learner's invocation inside the block ``limit`` calls (an invocation
        nested in it gets its own count, and the outer one's goes on after it)."""
        saved = self._calls, self._limit, self._hint
        self._calls, self._limit, self._hint = 0, limit, hint
        try:
            yield
        finally:
            self._calls, self._limit, self._hint = saved

    def _count(self, **_) -> None:
        self.total += 1
        self._calls += 1
        if self._limit is not None and self._calls > self._limit:
            raise TooManyCalls(
                f"Your code called DynamoDB more than {self._limit} times in one invocation. "
                + (self._hint or "Something retries or polls without a bound: when a call "
                   "fails, raise, and let the message come back later."))


# One boto3 client per service for every world of this process: making a client costs more
# than all the calls of a check, and moto serves the same client afresh in each world.
_SHARED_CLIENTS: dict[str, BaseClient] = {}


def _shared_client(service: str, clock: SimClock) -> BaseClient:
    """The process's client for ``service``, its retry waits on ``clock``."""
    if service not in _SHARED_CLIENTS:
        _SHARED_CLIENTS[service] = aws_session().client(service, config=client_config())
    client = _SHARED_CLIENTS[service]
    route_retry_sleeps(client, clock)
    return client


class _SharedSandbox(Sandbox):
    """A sandbox that hands out the process's shared clients (to the SQS emulator)."""

    def client(self, service: str, **config) -> BaseClient:
        if config:
            raise ValueError("the shared clients keep the course's client configuration")
        assert self.clock is not None
        return _shared_client(service, self.clock)


@dataclass
class _Store:
    """The learner's DynamoDB client, with its fault layer and its call counter (made once,
    with the shared client), and an empty table."""

    client: BaseClient
    faults: FaultInjector
    calls: StoreCalls


_SHARED_STORE: list[_Store] = []


def _fresh_store(clock: SimClock, seed: int) -> _Store:
    """The shared DynamoDB client, its fault layer cleared and on ``clock``, and an empty
    table (inside a moto mock)."""
    client = _shared_client("dynamodb", clock)
    if not _SHARED_STORE:
        _SHARED_STORE.append(_Store(client, FaultInjector(client, clock), StoreCalls(client)))
    store = _SHARED_STORE[0]
    store.faults.clear()
    store.faults.calls.clear()
    store.faults.clock, store.faults.rng = clock, random.Random(seed)
    client.create_table(
        TableName=IDEMPOTENCY_TABLE, BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": TABLE_KEY, "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": TABLE_KEY, "AttributeType": "S"}])
    return store


@dataclass
class World:
    """One test's world: moto, the learner's DynamoDB client (behind a fault layer), a
    simulated clock, and the payment API."""

    store: _Store
    clock: SimClock
    rng: random.Random
    aws: Sandbox | None = None  # the end-to-end run's queue
    gateway: PaymentGateway = field(init=False)
    orders_made: int = 0
    _hooks: list[tuple[str, Callable]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.dynamodb, self.faults, self.store_calls = (self.store.client, self.store.faults,
                                                        self.store.calls)
        self.now = unix_time(self.clock)
        self.new_gateway()

    def new_gateway(self) -> PaymentGateway:
        """A fresh payment API (no calls, no charges) for the next case."""
        self.gateway = PaymentGateway(self.now, rng=random.Random(self.rng.getrandbits(32)))
        return self.gateway

    def order(self, amount_cents: int = AMOUNT_CENTS) -> Order:
        """A new order, sent now, with an id no earlier order of this world has."""
        self.orders_made += 1
        return Order(f"o-{self.orders_made}", amount_cents, round(self.now(), 3))

    def on(self, event: str, handler: Callable) -> None:
        """Run ``handler`` on a botocore event of the DynamoDB client, until the world ends."""
        self.dynamodb.meta.events.register(event, handler)
        self._hooks.append((event, handler))

    def off(self, event: str, handler: Callable) -> None:
        self.dynamodb.meta.events.unregister(event, handler)

    def close(self) -> None:
        """Take this world's hooks and faults off the shared client."""
        for event, handler in self._hooks:
            self.off(event, handler)
        self.faults.clear()

    def charge(self, charge_once, record: dict, limit: int = INVOCATION_MAX_STORE_CALLS,
               hint: str = ""):
        """The learner's ``charge_once`` on this record, in this world."""
        with self.store_calls.limited(limit, hint):
            return charge_once(record, self.dynamodb, self.gateway, self.now)

    def outcome(self, charge_once, record: dict, limit: int = INVOCATION_MAX_STORE_CALLS,
                hint: str = "") -> tuple[BaseException | None, object]:
        """What the learner's ``charge_once`` did on this record: (error, None) or (None,
        what it returned)."""
        return _outcome(lambda: self.charge(charge_once, record, limit, hint))

    def attempt(self, charge_once, record: dict) -> BaseException | None:
        """What the learner's ``charge_once`` raised on this record (a crash included), or
        None if it returned."""
        return self.outcome(charge_once, record)[0]

    def claim(self, claim, key: str, now_s: float):
        """The learner's ``claim`` of ``key`` at ``now_s``, in this world."""
        with self.store_calls.limited():
            return claim(self.dynamodb, key, now_s)

    def handle(self, handler, records: list[dict], what: str = ""):
        """The learner's handler on a batch of these records: its response (a crash goes
        on up, as in Lambda; any other error fails the check, its message after ``what``)."""
        with self.store_calls.limited(RUNAWAY_CALLS):
            error, response = _outcome(lambda: handler({"Records": records}, None))
        if isinstance(error, Crash):
            raise error
        store = (" It was DynamoDB's error, which charge_once lets raise (3.11): catch every "
                 "Exception, not only the payment API's errors."
                 if isinstance(error, (ClientError, BotoCoreError)) else "")
        expect(error is None,
               f"{what + ' ' if what else ''}The handler raised {type(error).__name__} "
               f"({error}) on a batch of {len(records)} record(s). Catch what charge_once "
               "raises, record by record, and report those records in batchItemFailures: an "
               "error that escapes the handler fails the whole batch, and Lambda retries every "
               f"message of it.{store}")
        return response

    def charges(self, order_id: str) -> int:
        """How many times the payment API charged this order."""
        return self.gateway.times_charged()[order_id]

    def receipt(self, order_id: str) -> dict | None:
        """The receipt of the order's (first) charge, as the payment API gave it, or None."""
        made = next((c for c in self.gateway.charges if c.order_id == order_id), None)
        if made is None:
            return None
        return {"charge_id": made.charge_id, "order_id": made.order_id,
                "amount_cents": made.amount_cents}

    def item(self, key: str) -> dict | None:
        """The table's record for ``key``, or None."""
        return self.dynamodb.get_item(TableName=IDEMPOTENCY_TABLE, Key={TABLE_KEY: {"S": key}},
                                      ConsistentRead=True).get("Item")

    def records_in_table(self) -> list[dict]:
        return self.dynamodb.scan(TableName=IDEMPOTENCY_TABLE)["Items"]

    def clock_hint(self) -> str:
        """A sentence for a failure's message if the table holds a time read from the real
        clock (``time.time()``) rather than from ``now()``: one close to the real time, and
        far from the simulated one. Empty if there is none, or the two clocks are close."""
        wall_s, now_s = time.time(), self.now()
        if abs(wall_s - now_s) < WALL_CLOCK_APART_S:
            return ""
        try:
            items = self.records_in_table()
        except Exception:  # noqa: BLE001 - a hint, never a failure of its own
            return ""
        for item in items:
            for name, value in item.items():
                try:
                    stored_s = float(value["N"])
                except (KeyError, TypeError, ValueError):
                    continue
                if wall_s - WALL_CLOCK_NEAR_S <= stored_s <= wall_s + WALL_CLOCK_AHEAD_S:
                    return (f"\nA record of the table holds {name} = {value['N']}: a time "
                            f"from the real clock ({wall_s:.0f}, time.time()), "
                            f"{abs(wall_s - now_s) / SECONDS_PER_DAY:.0f} days from the "
                            f"test's time ({now_s:.0f}). Read the time with now(), never "
                            "time.time(): the tests run on a simulated clock, as DynamoDB "
                            "and SQS do here.")
        return ""

    @contextmanager
    def store_failing(self, fault: Fault) -> Iterator[None]:
        """Every DynamoDB call fails with ``fault`` inside the block."""
        rule = fault.install(self.faults)
        try:
            yield
        finally:
            self.faults.rules.remove(rule)


@contextmanager
def _world(seed: int = 0, queue: bool = False) -> Iterator[World]:
    """A world whose clock starts at a fractional time drawn from ``seed``; with ``queue``,
    an SQS queue and moto's clock on it too."""
    from moto import mock_aws  # importing moto takes ~0.6 s: only when a world is made

    rng = random.Random(seed)
    clock = SimClock(round(rng.uniform(0, CLOCK_START_SPREAD_S), 3))
    with ExitStack() as stack:
        stack.enter_context(mock_aws())
        aws = None
        if queue:
            aws = _SharedSandbox(clock=clock, moto_clock=stack.enter_context(moto_follows(clock)),
                                 session=aws_session())
            aws.queue_urls[QUEUE] = aws.client("sqs").create_queue(
                QueueName=QUEUE, Attributes={"VisibilityTimeout": str(VISIBILITY_TIMEOUT_S)}
            )["QueueUrl"]
        world = World(_fresh_store(clock, seed), clock, rng, aws)
        stack.callback(world.close)
        try:
            yield world
        except AssertionError as failure:
            world.close()  # no crash or fault armed for the test's own read
            hint = world.clock_hint()
            if not hint:
                raise
            raise AssertionError(f"{failure}{hint}") from None


def _outcome(call: Callable[[], object]) -> tuple[BaseException | None, object]:
    """What ``call`` did: the exception it raised (a crash included) and None, or None and
    what it returned. A runaway loop stopped by the test still ends the test."""
    try:
        return None, call()
    except BaseException as error:  # noqa: BLE001 - a crash is an outcome to check
        if isinstance(error, (KeyboardInterrupt, SystemExit, TooManyCalls)):
            raise
        return error, None


def _crash() -> None:
    raise Crash("the invocation crashed")


def _expect_crashed(error: BaseException | None) -> None:
    expect(isinstance(error, Crash),
           "The test crashed your invocation in the middle of a call, but your code went on "
           f"({'it raised ' + type(error).__name__ if error else 'it returned'}). Do not "
           "catch BaseException or use a bare except: a real crash cannot be caught.")


def _what(error: BaseException | None, returned: object = None) -> str:
    """What a call did, in words: raised an error, or returned a value."""
    return f"raised {type(error).__name__}" if error else f"returned {_shown(returned)}"


class _NotPlain:
    """Stands in a message for a value that is not plain data: its repr is ``text``."""

    def __init__(self, text: str):
        self.text = text

    def __repr__(self) -> str:
        return self.text


def _plain(value: object, depth: int = 0) -> object:
    """``value`` as plain data to show in a message: dicts, lists, tuples, strings and
    numbers as they are, and in place of anything else a ``_NotPlain`` that says what it
    is. In the grader, a learner's object that is not plain data stays in the learner's
    process, and the test holds a proxy for it, which prints as nothing useful; a number
    that boto3 deserialised is a ``Decimal``, asked for its digits."""
    if isinstance(value, (str, int, float, bool, type(None))):
        return value
    if depth > 20:
        return _NotPlain("...")
    if isinstance(value, dict):
        return {_plain(k, depth + 1): _plain(v, depth + 1) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        items = [_plain(item, depth + 1) for item in value]
        return items if isinstance(value, list) else tuple(items)
    if getattr(value, "$handle", None) is None:  # the object itself (in a notebook)
        return _NotPlain(repr(value))
    try:
        digits = value.to_eng_string()  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001 - no Decimal: nothing more to ask of it
        digits = None
    if isinstance(digits, str):
        return _NotPlain(f"Decimal({digits!r})")
    return _NotPlain("<an object that is not plain data>")


def _shown(value: object) -> str:
    """``value``, as plain data, the way a message shows it (repr)."""
    return repr(_plain(value))


def _holds_other_than_plain_data(value: object) -> bool:
    """Whether ``value`` holds anything but dicts, lists, strings and numbers."""
    if isinstance(value, (str, int, float, bool, type(None))):
        return False
    if isinstance(value, dict):
        return any(map(_holds_other_than_plain_data, [*value.keys(), *value.values()]))
    if isinstance(value, (list, tuple)):
        return any(map(_holds_other_than_plain_data, value))
    return True


def _plain_data_hint(*values: object) -> str:
    """A sentence for a message about learner-returned receipts, if any holds something
    other than plain data."""
    if not any(map(_holds_other_than_plain_data, values)):
        return ""
    return (" A receipt should be plain data, as the payment API gave it: a DynamoDB map "
            "read back holds Decimal numbers, not ints. Store the receipt as JSON in a "
            "string attribute (json.dumps), and return json.loads of it.")


# -- faults of the idempotency store ----------------------------------------------------------


@dataclass(frozen=True)
class Fault:
    """A way every DynamoDB call can fail, as the fault layer makes it."""

    kind: str  # throttle, server_error, error, timeout, drop or unreachable
    code: str = ""
    status: int = 400
    delivered: bool = False  # timeouts and drops: DynamoDB did the write anyway

    def install(self, faults: FaultInjector) -> Rule:
        """Make every call of ``faults``' client fail this way, until the rule is removed."""
        if self.kind == "throttle":
            return faults.throttle(code=self.code)
        if self.kind == "server_error":
            return faults.server_error(status=self.status)
        if self.kind == "error":
            return faults.error(self.code, status=self.status)
        if self.kind == "timeout":
            return faults.timeout(delivered=self.delivered)
        if self.kind == "drop":
            return faults.drop(delivered=self.delivered)
        return faults.unreachable()

    def __str__(self) -> str:
        if self.kind in ("throttle", "error"):
            return f"{self.code} (HTTP {self.status})"
        if self.kind == "server_error":
            return f"a server error (HTTP {self.status})"
        if self.kind in ("timeout", "drop"):
            where = "after DynamoDB did the work" if self.delivered else "before it got there"
            kind = "a read timeout" if self.kind == "timeout" else "a dropped connection"
            return f"{kind} ({where})"
        return "a connect timeout (DynamoDB unreachable)"


THROTTLED = Fault("throttle", "ProvisionedThroughputExceededException")
STORE_DOWN_HINT = "DynamoDB failed every call: after a few tries, let the error raise."
# Every way a DynamoDB call fails other than a failed condition: throttling (each code
# botocore knows), server errors, errors no retry fixes, timeouts, dropped connections.
STORE_FAULTS = st.one_of(
    st.sampled_from(sorted(throttling_codes())).map(lambda code: Fault("throttle", code)),
    st.sampled_from([500, 503]).map(lambda status: Fault("server_error", status=status)),
    st.sampled_from(sorted(DYNAMODB_ERROR_CODES)).map(
        lambda code: Fault("error", code, DYNAMODB_ERROR_CODES[code])),
    st.booleans().map(lambda delivered: Fault("timeout", delivered=delivered)),
    st.booleans().map(lambda delivered: Fault("drop", delivered=delivered)),
    st.just(Fault("unreachable")))


# -- 1. the key -------------------------------------------------------------------------------


def check_key_names_the_order(idempotency_key) -> None:
    order = Order("o-1", AMOUNT_CENTS, SIM_EPOCH_S + 17.25)
    first = _record(order)
    retry = Copy("producer retry", later_s=1.5).of(order, first)
    other = _record(Order("o-2", AMOUNT_CENTS, SIM_EPOCH_S + 18.0))
    key = idempotency_key(first)
    expect(isinstance(key, str) and key != "",
           f"idempotency_key should return a non-empty string; it returned {_shown(key)}.")
    expect(idempotency_key(_redelivered(first)) == key,
           "A redelivery of the same message (same messageId, same body) got another key.")
    expect(key != first["messageId"] or idempotency_key(retry) == key,
           "Your key is the messageId. A producer that retries after a timeout sends a new "
           "message, with a new messageId, for the same order: the key must name the order, "
           "so that both copies get the same key.")
    expect(idempotency_key(retry) == key,
           "Two messages for the same order (a producer's retry: a new messageId and a later "
           f"sent_at) got different keys, {_shown(key)} and {_shown(idempotency_key(retry))}. "
           "Build the key from what names the request, the order_id, not from the whole body "
           "or the message.")
    expect(idempotency_key(other) != key,
           f"Orders o-1 and o-2 got the same key {_shown(key)}: one of them would never be "
           "charged.")


KEY_CASES = st.tuples(ORDERS, COPIES, st.integers(0, CONFUSIONS - 1),
                      st.sampled_from(WIDE_ORDER_ID_ALPHABET), ORDER_IDS)
KEY_TRAPS = (  # copies in every layout, and ids a character or a letter's case apart
    (Order("Ab-7", 2500, SIM_EPOCH_S + 3.5),
     (Copy("producer retry", 2.5, 1), Copy("producer retry", 4.0, 2), Copy("redelivery")),
     4, "x", "o-1"),
    (Order("o-7", 995, SIM_EPOCH_S + 7.25), (Copy("producer retry", 0.75, 3),), 0, "7", "o-1"),
    # an empty order_id, ids a space apart, accents dropped, a long id a character longer
    (Order("", 1200, SIM_EPOCH_S + 9.5), (Copy("redelivery"),), 7, "x", "o-1"),
    (Order("o 17", 1999, SIM_EPOCH_S + 11.0), (Copy("producer retry", 1.5, 1),), 9, "x", "o-1"),
    (Order("café-7", 450, SIM_EPOCH_S + 12.5), (Copy("redelivery"),), 11, "x", "o-1"),
    (Order("o-" + "7" * (LONG_ORDER_ID - 2), 3000, SIM_EPOCH_S + 13.0),
     (Copy("producer retry", 2.0, 2),), 0, "8", "o-1"),
)
# Ids whose keys are computed again in fresh processes (another Lambda instance, a restart).
FRESH_PROCESS_ORDER_IDS = ("o-17", "o 17", "", "café-7", "東京-1", "o-" + "9" * 40)


@varied
@uses_fresh_processes
def check_key_is_stable(idempotency_key, *, seed: int) -> None:
    """Every copy of an order, whatever its id looks like and however its body is written,
    gets one key; another order, even one whose id is easy to confuse, gets another."""

    def prove(case: tuple[Order, tuple[Copy, ...], int, str, str]) -> None:
        order, later, how, character, unrelated = case
        first = _record(order)
        key = idempotency_key(first)
        empty = (" An order_id may be empty, and DynamoDB refuses an empty string as a key: "
                 "add a prefix to the order_id." if order.order_id == "" else "")
        expect(isinstance(key, str) and key != "",
               f"idempotency_key should return a non-empty string; for {order} it returned "
               f"{_shown(key)}.{empty}")
        for copy in later:
            record = copy.of(order, first)
            again = idempotency_key(record)
            expect(again == key,
                   f"A {copy.kind} of order {order.order_id!r} got the key {_shown(again)}, "
                   f"the first message {_shown(key)}. Its body was {record['body']!r}. The "
                   "key must depend on the order alone: parse the body and use its order_id, "
                   "not the messageId, the body's text or its sent_at.")
        other_id = _confused(order.order_id, how, character, unrelated)
        other = idempotency_key(_record(Order(other_id, order.amount_cents, order.sent_at_s)))
        spacing = (" Other spacing in a producer's retry is the JSON body's layout, not the "
                   "order_id's value: ids a space apart are different orders."
                   if _only_spacing_apart(order.order_id, other_id) else "")
        expect(other != key,
               f"Orders {order.order_id!r} and {other_id!r} got the same key {_shown(key)}: "
               "the second would be taken for a duplicate of the first and never charged. "
               f"Keep the whole order_id in the key, unchanged.{spacing}")

    for trap in KEY_TRAPS:
        prove(trap)
    for_all(KEY_CASES, prove, seed=seed, examples=KEY_EXAMPLES,
            show=lambda case: f"{case[0]}, copies {case[1]}, other order "
                              f"{_confused(*[case[0].order_id, *case[2:]])!r}")
    _expect_same_keys_in_fresh_processes(idempotency_key, random.Random(seed))


def _expect_same_keys_in_fresh_processes(idempotency_key, rng: random.Random) -> None:
    """Another copy of the function (a fresh Python process: another Lambda instance, or
    this one after a restart) gives every order the key this one gives it."""
    records = [_record(Order(order_id, rng.randint(1, MAX_AMOUNT_CENTS),
                             round(SIM_EPOCH_S + rng.uniform(0, SECONDS_PER_DAY), 3)))
               for order_id in FRESH_PROCESS_ORDER_IDS]
    here = json.loads(json.dumps([idempotency_key(record) for record in records]))
    for elsewhere in calls_in_fresh_processes(idempotency_key, [(r,) for r in records]):
        moved = [(json.loads(record["body"])["order_id"], mine, theirs)
                 for record, mine, theirs in zip(records, here, elsewhere, strict=True)
                 if theirs != mine]
        expect(not moved,
               "Run in a fresh Python process (another Lambda instance, or this one after a "
               f"restart), idempotency_key gave {len(moved)} of {len(records)} orders another "
               "key: order {!r} got {!r} there and {!r} here. ".format(
                   *(moved or [("", "", "")])[0]) +
               "Every copy of the function must compute the same key, or a duplicate that "
               "another instance handles is charged again. Python's hash() of a string is "
               "salted per process (PYTHONHASHSEED), and so is the order of a set: use the "
               "order_id itself, or a stable hash such as hashlib.sha256.")


# -- 2. the claim -----------------------------------------------------------------------------


def _expect_in_progress_record(item: dict | None, claimed_s: float, key: str) -> None:
    """The table's record of a fresh claim made at ``claimed_s``: its shape and its lease."""
    expect(item is not None,
           f"After claim returned None, the table {IDEMPOTENCY_TABLE!r} held no record with "
           f"{TABLE_KEY!r} = {key!r}. Put the record into IDEMPOTENCY_TABLE, with the key in "
           f"the {TABLE_KEY!r} attribute.")
    assert item is not None
    expect(item.get("status") == {"S": "IN_PROGRESS"},
           f"A fresh claim's record should have status IN_PROGRESS (a string attribute); it "
           f"has {item.get('status')!r}.")
    expires = item.get("expires_at", {})
    expect("N" in expires,
           f"A claim's expires_at should be a number ({{'N': ...}}), so that DynamoDB can "
           f"compare it with :now; it is {expires or 'missing'!r}.")
    lease_s = float(expires["N"]) - claimed_s
    expect(abs(lease_s - FUNCTION_TIMEOUT_S) <= LEASE_ROUNDING_S,
           f"A claim made at {claimed_s} (Unix seconds) got expires_at {expires['N']}, "
           f"{lease_s:.3f} s later. It should expire FUNCTION_TIMEOUT_S = "
           f"{FUNCTION_TIMEOUT_S} s after the claim, in Unix seconds like now_s.")


def check_claim_is_conditional(claim) -> None:
    with _world() as world:
        now_s = world.now()
        expect(world.claim(claim, "order-o-1", now_s) is None,
               "The first claim of a key should succeed and return None.")
        held = world.item("order-o-1")
        _expect_in_progress_record(held, now_s, "order-o-1")
        second = world.claim(claim, "order-o-1", now_s + 1)
        expect(second is not None,
               "A second claim of the same key, one second later, returned None: two "
               "concurrent deliveries would both charge. Put the record with a "
               "ConditionExpression such as attribute_not_exists(id), so that DynamoDB "
               "lets only one of them win, and return the record that stopped the other.")
        expect(second == held,
               f"A claim stopped by a record should return that record as DynamoDB gives it "
               f"(ReturnValuesOnConditionCheckFailure='ALL_OLD', then error.response['Item']"
               f"): {held}. It returned {_shown(second)}.")
        expect(world.claim(claim, "order-o-2", now_s + 1) is None,
               "A claim of another key failed: each key has its own record.")
        keys = sorted(item[TABLE_KEY]["S"] for item in world.records_in_table())
        expect(keys == ["order-o-1", "order-o-2"],
               f"The table should hold one record per key claimed; it holds {keys}. Write "
               f"to {IDEMPOTENCY_TABLE!r}, with the key in the {TABLE_KEY!r} attribute.")


@dataclass(frozen=True)
class LeaseCase:
    """A claim at ``claimed_s``; claims again ``held_s`` later (while it holds), then
    ``free_s`` later (once it expired), then ``held_s[0]`` after that (the new claim)."""

    claimed_s: float
    held_s: tuple[float, ...]
    free_s: float


LEASE_CASES = st.builds(
    LeaseCase, SENT_TIMES,
    st.lists(st.sampled_from([0.0, 0.001, 1.0, 14.5, 27.25, FUNCTION_TIMEOUT_S - LEASE_ROUNDING_S]),
             min_size=1, max_size=2).map(lambda held: tuple(sorted(held))),
    st.sampled_from([FUNCTION_TIMEOUT_S + 2 * LEASE_ROUNDING_S, FUNCTION_TIMEOUT_S + 2.5, 45.0,
                     630.0, 3600.0, SECONDS_PER_DAY + 0.5, SQS_MAX_RETENTION_S]))


@varied
def check_claim_expires_with_the_lease(claim, *, seed: int) -> None:
    """A claim holds its key for FUNCTION_TIMEOUT_S (to the second), then any claim gets
    it, and that claim holds it for a lease of its own."""
    with _world(seed) as world:
        keys = iter(range(10**6))

        def prove(case: LeaseCase) -> None:
            key, start_s = f"order-lease-{next(keys)}", case.claimed_s
            first = world.claim(claim, key, start_s)
            expect(first is None, f"The first claim of a key should return None; it returned "
                                  f"{first!r}.")
            _expect_in_progress_record(world.item(key), start_s, key)
            for held_s in case.held_s:
                expect(world.claim(claim, key, round(start_s + held_s, 3)) is not None,
                       f"A claim {held_s:.3f} s after the first succeeded, while the first "
                       "invocation may still be running: its lease must last the function's "
                       f"timeout, FUNCTION_TIMEOUT_S = {FUNCTION_TIMEOUT_S} s.")
            again_s = round(start_s + case.free_s, 3)
            expect(world.claim(claim, key, again_s) is None,
                   f"{case.free_s:.3f} s after a claim, past the function's timeout, the key "
                   "could not be claimed again. If that invocation crashed, its order would "
                   "never be charged. Give the in-progress record an expiry (now + "
                   "FUNCTION_TIMEOUT_S, a number) and let the condition accept an expired "
                   "record: attribute_not_exists(id) OR expires_at < :now. DynamoDB's TTL is "
                   "no help here: it deletes expired items only within about two days.")
            expect(world.claim(claim, key, round(again_s + case.held_s[0], 3)) is not None,
                   "A key claimed again after its lease expired was claimed a third time "
                   f"{case.held_s[0]:.3f} s later: the new claim must hold for a lease of its "
                   "own. Write the new expires_at with the claim.")

        late_in_its_second_s = int(world.now()) + 0.999  # rounding down costs it a second
        prove(LeaseCase(late_in_its_second_s, (FUNCTION_TIMEOUT_S - LEASE_ROUNDING_S,),
                        FUNCTION_TIMEOUT_S + 2 * LEASE_ROUNDING_S))
        for_all(LEASE_CASES, prove, seed=seed, examples=STORE_EXAMPLES)


@dataclass(frozen=True)
class InTheWay:
    """A record that stops a claim ``after_s`` later: ``kind`` says who wrote it (``own
    claim``: an earlier call of the learner's claim; ``completed`` and ``in progress``:
    another program, with ``extra`` attributes); ``vanishes`` says whether its owner deletes
    it just after it stopped the claim."""

    kind: str
    after_s: float
    extra: tuple[tuple[str, str], ...]
    vanishes: bool


RECORD_IN_THE_WAY = {"own claim": "the record of an earlier claim of yours",
                     "completed": "a completed record",
                     "in progress": "another program's in-progress record"}
IN_THE_WAY = st.builds(
    InTheWay, st.sampled_from(["own claim", "completed", "in progress"]), WITHIN_LEASE_S,
    st.lists(st.tuples(st.sampled_from(["owner", "charged_at", "note"]),
                       st.text(string.ascii_letters, min_size=1, max_size=8)),
             max_size=2, unique_by=lambda pair: pair[0]).map(tuple),
    st.booleans())


def _put_record_in_the_way(world: World, key: str, case: InTheWay, now_s: float) -> None:
    """Write the record of another program's claim, or its completed charge."""
    completed = case.kind == "completed"
    lasts_s = SQS_MAX_RETENTION_S if completed else FUNCTION_TIMEOUT_S
    item = {TABLE_KEY: {"S": key}, "status": {"S": "COMPLETED" if completed else "IN_PROGRESS"},
            "expires_at": {"N": str(int(now_s) + lasts_s)},
            **{name: {"S": value} for name, value in case.extra}}
    if completed:
        item["response"] = {"S": json.dumps({"charge_id": f"ch_{key}",
                                             "amount_cents": AMOUNT_CENTS})}
    world.dynamodb.put_item(TableName=IDEMPOTENCY_TABLE, Item=item)


@varied
def check_claim_returns_the_record_in_the_way(claim, *, seed: int) -> None:
    """A claim stopped by a record returns that record, typed, as DynamoDB gave it with the
    failed write: not a copy read afterwards, which may be gone by then."""
    with _world(seed) as world:
        keys = iter(range(10**6))

        def prove(case: InTheWay) -> None:
            key, start_s = f"order-way-{next(keys)}", round(world.now(), 3)
            if case.kind == "own claim":
                expect(world.claim(claim, key, start_s) is None,
                       "The first claim of a key should succeed and return None.")
            else:
                _put_record_in_the_way(world, key, case, start_s)
            held = world.item(key)
            if case.vanishes:
                _release_after_failed_write(world, key)
            returned = world.claim(claim, key, round(start_s + case.after_s, 3))
            gone = " (its owner deleted it just after your write failed)" if (
                case.vanishes) else ""
            expect(returned == held,
                   f"A claim stopped by {RECORD_IN_THE_WAY[case.kind]} should return that record "
                   f"exactly as DynamoDB gives it with the failed write{gone}: {held}. It "
                   f"returned {_shown(returned)}. Ask for it with "
                   "ReturnValuesOnConditionCheckFailure='ALL_OLD' and return "
                   "error.response['Item'] as it is: reading it again afterwards can find "
                   "nothing, and None would claim a key someone else holds.")

        prove(InTheWay("completed", 1.0, (("owner", "batch"),), False))
        prove(InTheWay("own claim", 2.5, (), True))
        for_all(IN_THE_WAY, prove, seed=seed, examples=STORE_EXAMPLES)


def _release_after_failed_write(world: World, key: str) -> None:
    """Delete ``key``'s record right after the next write that its condition stopped, as
    the owner of a claim does when its work fails."""

    def delete(parsed=None, **_) -> None:
        if (parsed or {}).get("Error", {}).get("Code") == "ConditionalCheckFailedException":
            world.off("after-call.dynamodb", delete)
            world.dynamodb.delete_item(TableName=IDEMPOTENCY_TABLE,
                                       Key={TABLE_KEY: {"S": key}})

    world.on("after-call.dynamodb", delete)


@varied
def check_claim_raises_on_store_errors(claim, *, seed: int) -> None:
    """While DynamoDB fails every call in any way other than a failed condition, a claim
    raises: None would charge an order nobody holds, and a record would be made up."""
    with _world(seed) as world:
        keys = iter(range(10**6))

        def prove(case: tuple[Fault, bool]) -> None:
            fault, held_by_another = case
            key, now_s = f"order-fault-{next(keys)}", round(world.now(), 3)
            if held_by_another:
                expect(world.claim(claim, key, now_s) is None,
                       "The first claim of a key should succeed and return None.")
            with world.store_failing(fault), world.store_calls.limited(RUNAWAY_CALLS,
                                                                       STORE_DOWN_HINT):
                error, returned = _outcome(lambda: claim(world.dynamodb, key, now_s + 1))
            holder = " while another invocation held the key" if held_by_another else ""
            expect(isinstance(error, Exception),
                   f"DynamoDB failed every call with {fault}{holder}, and claim returned "
                   f"{_shown(returned)}. That claimed nothing: only a "
                   "ConditionalCheckFailedException means a record is in the way. Let every "
                   "other error raise, or a throttled write makes the order look claimed and "
                   "it is charged twice.")
            expect(isinstance(error, (ClientError, BotoCoreError)),
                   f"DynamoDB failed every call with {fault}{holder}, and claim raised "
                   f"{type(error).__name__} ({error}), not DynamoDB's error. Let that error "
                   "itself raise (re-raise it): read error.response['Item'] only after a "
                   "ConditionalCheckFailedException, the one error that carries the record.")

        prove((THROTTLED, True))
        prove((Fault("server_error", status=503), False))
        for_all(st.tuples(STORE_FAULTS, st.booleans()), prove, seed=seed,
                examples=FAULT_EXAMPLES)


# -- 3. charging once -------------------------------------------------------------------------


def check_duplicates_get_the_stored_response(charge_once) -> None:
    with _world() as world:
        order = world.order()
        record = _record(order)
        responses = []
        for _ in range(3):
            responses.append(world.charge(charge_once, record))
            record = _redelivered(record)
            world.clock.advance(60)
        expect(world.charges(order.order_id) == 1,
               f"One order delivered three times was charged {world.charges(order.order_id)} "
               "times. Claim the order's key before charging; a duplicate must find the "
               "record.")
        receipt = world.receipt(order.order_id)
        expect(responses[0] == receipt,
               f"charge_once should return the payment API's receipt, {receipt}; it returned "
               f"{_shown(responses[0])}.{_plain_data_hint(responses[0])}")
        expect(responses[0] == responses[1] == responses[2],
               f"The three deliveries got different responses: {_shown(responses)}. A "
               "duplicate must get the response stored when the order was charged (json.loads "
               f"of the stored JSON).{_plain_data_hint(*responses)}")
        expect(world.gateway.calls == 1,
               f"The payment API was called {world.gateway.calls} times for one order. A "
               "duplicate of a completed order must be answered from the store, without "
               "calling the payment API again.")


@dataclass(frozen=True)
class CopiesCase:
    """An order's price, its later copies, and the seconds before each copy comes."""

    amount_cents: int
    copies: tuple[Copy, ...]
    gaps_s: tuple[float, ...]


COPIES_CASES = st.builds(CopiesCase, AMOUNTS, COPIES,
                         st.lists(st.sampled_from([0.0, 0.25, 2.0, 60.0, 900.0, 3700.0,
                                                   6 * 3600.0]),
                                  min_size=3, max_size=3).map(tuple))


@varied
def check_every_copy_gets_one_receipt(charge_once, *, seed: int) -> None:
    """Whatever the order's amount and however its copies come (redeliveries, producer
    retries with other bodies, seconds to hours apart), it is charged once, for its amount,
    with a key, and every copy gets the receipt of that charge."""
    with _world(seed) as world:

        def prove(case: CopiesCase) -> None:
            gateway = world.new_gateway()
            order = world.order(case.amount_cents)
            first = _record(order)
            responses = [world.charge(charge_once, first)]
            for copy, gap_s in zip(case.copies, case.gaps_s, strict=False):
                world.clock.advance(gap_s)
                responses.append(world.charge(charge_once, copy.of(order, first)))
            charged = [c for c in gateway.charges if c.order_id == order.order_id]
            expect(charged and all(c.amount_cents == order.amount_cents for c in charged),
                   f"The {order} was charged {[c.amount_cents for c in charged]} cents. "
                   "Charge the order_id and amount_cents of the record's body.")
            expect(len(charged) == 1,
                   f"The {order}, delivered {len(responses)} times (a first message, then "
                   f"{', '.join(c.kind for c in case.copies)}), was charged {len(charged)} "
                   "times. Every copy gets the same key; claim it before charging.")
            expect(charged[0].idempotency_key is not None,
                   "The payment API was called without an idempotency_key: pass your key "
                   "(gateway.charge(order_id, amount_cents, idempotency_key=key)).")
            receipt = world.receipt(order.order_id)
            wrong = [(n, r) for n, r in enumerate(responses, 1) if r != receipt]
            expect(not wrong,
                   f"Every copy of the order should get the payment API's receipt, {receipt}; "
                   f"delivery {wrong[0][0] if wrong else 0} got "
                   f"{_shown(wrong[0][1] if wrong else None)}. Return the receipt "
                   "gateway.charge returned, and to a duplicate the one stored (json.loads of "
                   f"the JSON).{_plain_data_hint(*responses)}")
            expect(gateway.calls == 1,
                   f"The payment API was called {gateway.calls} times for one order. A copy "
                   "of a completed order must be answered from the store, without calling "
                   "the payment API.")

        prove(CopiesCase(world.rng.randint(1, MAX_AMOUNT_CENTS),
                         (Copy("producer retry", 2.0, 1), Copy("redelivery")), (2.0, 60.0)))
        for_all(COPIES_CASES, prove, seed=seed, examples=CHARGE_EXAMPLES)


@dataclass(frozen=True)
class ConcurrentCase:
    """Duplicates that arrive ``into_s`` seconds into the first delivery's payment call."""

    amount_cents: int
    duplicates: tuple[Copy, ...]
    into_s: float


CONCURRENT_CASES = st.builds(ConcurrentCase, AMOUNTS, COPIES, WITHIN_LEASE_S)
WAIT_HINT = ("A duplicate that finds the order in progress must raise at once, not wait for "
             "it: its message comes back later.")


def _in_progress(world: World) -> int:
    """How many in-progress records the table holds."""
    return sum(item.get("status") == {"S": "IN_PROGRESS"} for item in world.records_in_table())


@dataclass(frozen=True)
class DuplicateRun:
    """What one duplicate did while the first delivery was charging."""

    copy: Copy
    error: BaseException | None
    returned: object
    payment_calls: int
    store_calls: int
    took_s: float
    claims_lost: bool  # an in-progress record was gone after it ran


def _duplicate_runs(world: World, charge_once, case: ConcurrentCase, order: Order,
                    first: dict) -> list[DuplicateRun]:
    """Run the case's duplicates inside the first delivery's payment call (armed now);
    their runs are in the returned list once the first delivery's call has returned."""
    runs: list[DuplicateRun] = []

    def duplicates_arrive() -> None:
        world.clock.advance(case.into_s)
        claims = _in_progress(world)
        for copy in case.duplicates:
            payment_calls, store_calls = world.gateway.calls, world.store_calls.total
            started = time.perf_counter()
            error, returned = world.outcome(charge_once, copy.of(order, first),
                                            DUPLICATE_MAX_STORE_CALLS * 5, WAIT_HINT)
            took_s = time.perf_counter() - started
            runs.append(DuplicateRun(copy, error, returned, world.gateway.calls - payment_calls,
                                     world.store_calls.total - store_calls, took_s,
                                     _in_progress(world) < claims))

    world.gateway.during_next(duplicates_arrive)
    return runs


def _expect_duplicate_stopped(number: int, run: DuplicateRun, into_s: float) -> None:
    """A duplicate that arrived mid-charge called nothing, raised at once, and left the
    first delivery's claim in place."""
    arrived = (f"Duplicate {number} (a {run.copy.kind}) arrived {into_s:.2f} s into the "
               "first delivery's payment call")
    expect(run.payment_calls == 0,
           f"{arrived}, and called the payment API too. It must find the first one's claim "
           "and stop.")
    expect(isinstance(run.error, Exception),
           f"{arrived}, and {_what(run.error, run.returned)}. It must raise, so that its "
           "message comes back later: reporting success would delete it, and if the first "
           "invocation then crashed, nobody would charge the order.")
    expect(not run.claims_lost,
           f"{arrived}; it raised, and the first delivery's in-progress record was gone from "
           "the table. A duplicate must leave another invocation's claim alone: release only "
           "a claim you made yourself.")
    expect(run.store_calls <= DUPLICATE_MAX_STORE_CALLS and run.took_s <= DUPLICATE_MAX_WAIT_S,
           f"{arrived}; it made {run.store_calls} DynamoDB calls and took {run.took_s:.2f} s "
           "before it raised. Do not wait for the other invocation, nor poll: raise at once, "
           "and the message comes back after the visibility timeout.")


def _expect_in_progress_wins_over_a_response(world: World, charge_once) -> None:
    """A record in the way that is IN_PROGRESS stops a copy, even when it still carries a
    response (another writer's claim over an old completed record)."""
    world.new_gateway()
    order = world.order()
    first = _record(order)
    receipt = world.charge(charge_once, first)
    item = next((item for item in world.records_in_table()
                 if any(_json_of(value.get("S")) == receipt for value in item.values())), None)
    expect(item is not None, f"After a charge, no record of the table holds its receipt "
                             f"{receipt} as JSON: write the completed record with it.")
    assert item is not None
    world.dynamodb.put_item(TableName=IDEMPOTENCY_TABLE, Item={
        **item, "status": {"S": "IN_PROGRESS"},
        "expires_at": {"N": str(int(world.now()) + FUNCTION_TIMEOUT_S)}})
    error, returned = world.outcome(charge_once, _redelivered(first))
    expect(isinstance(error, Exception) and world.gateway.calls == 1,
           "The record in the way was IN_PROGRESS: another invocation's claim, which still "
           f"carried an older response attribute. charge_once {_what(error, returned)}. "
           "Read the record's status: only a COMPLETED record's response is the answer; an "
           "IN_PROGRESS one means raise, and the message comes back.")


@varied
def check_concurrent_duplicate_waits(charge_once, *, seed: int) -> None:
    """Duplicates that arrive while the first delivery is charging raise at once, call
    nothing, and leave its claim alone; once it completed, they get its receipt."""
    with _world(seed) as world:

        def prove(case: ConcurrentCase) -> None:
            world.new_gateway()
            order = world.order(case.amount_cents)
            first = _record(order)
            runs = _duplicate_runs(world, charge_once, case, order, first)
            first_response = world.charge(charge_once, first)
            for number, run in enumerate(runs, 1):
                _expect_duplicate_stopped(number, run, case.into_s)
            world.clock.advance(1)
            later = [world.charge(charge_once, copy.of(order, first))
                     for copy in case.duplicates]
            expect(all(response == first_response for response in later)
                   and world.charges(order.order_id) == 1,
                   "Once the first delivery completed, the duplicates' retries should get "
                   f"its receipt ({_shown(first_response)}); they got {_shown(later)}, with "
                   f"{world.charges(order.order_id)} charge(s).{_plain_data_hint(*later)}")

        prove(ConcurrentCase(AMOUNT_CENTS, (Copy("redelivery"), Copy("producer retry", 1.0, 1)),
                             0.5))
        _expect_in_progress_wins_over_a_response(world, charge_once)
        for_all(CONCURRENT_CASES, prove, seed=seed, examples=CHARGE_EXAMPLES)


def _after_call(world: World, number: int, action: Callable[[], object]) -> Callable[[], bool]:
    """Run ``action`` right after DynamoDB call ``number`` from now (when it has answered,
    before the caller goes on); the returned function disarms it and says if it ran."""
    seen, ran = [0], [False]

    def hook(**_) -> None:
        seen[0] += 1
        if seen[0] == number:
            world.off("after-call.dynamodb", hook)
            ran[0] = True
            action()

    world.on("after-call.dynamodb", hook)

    def disarm() -> bool:
        world.off("after-call.dynamodb", hook)
        return ran[0]

    return disarm


def _race_after_call(world: World, charge_once, number: int) -> tuple[bool, int | None]:
    """Charge a new order, a whole duplicate of it running right after the first delivery's
    DynamoDB call ``number``: whether that call came, and how many payment calls had been
    made when the duplicate started (None if it never did)."""
    world.new_gateway()
    order = world.order(world.rng.randint(1, MAX_AMOUNT_CENTS))
    first = _record(order)
    duplicate = world.rng.choice([Copy("redelivery"), Copy("producer retry", 0.5, 2)]
                                 ).of(order, first)
    calls_before: list[int] = []

    def duplicate_runs() -> None:
        calls_before.append(world.gateway.calls)
        world.attempt(charge_once, duplicate)

    disarm = _after_call(world, number, duplicate_runs)
    world.attempt(charge_once, first)
    return disarm(), calls_before[0] if calls_before else None


@varied
def check_claim_is_one_conditional_write(charge_once, *, seed: int) -> None:
    """A whole duplicate runs right after each of the first delivery's DynamoDB calls in
    turn, before it charged; the payment API is called once all the same."""
    with _world(seed) as world:
        plain = world.order()
        expect(world.charge(charge_once, _record(plain)) == world.receipt(plain.order_id),
               "charge_once should charge the order and return the payment API's receipt.")
        for number in range(1, CALL_POINTS_MAX):
            came, calls_before = _race_after_call(world, charge_once, number)
            if not came:
                return
            if calls_before:  # the first had charged: what a duplicate does then is 3.5's
                continue
            expect(world.gateway.calls <= 1,
                   f"A duplicate ran right after your DynamoDB call number {number}, before "
                   f"the next one, and both deliveries called the payment API "
                   f"({world.gateway.calls} calls). Reading the record and then writing it is "
                   "a race: make the claim one conditional write, which DynamoDB applies "
                   "atomically, and charge only if it succeeded.")


@dataclass(frozen=True)
class FailureCase:
    """Payment calls that fail in a row (``fail``: nothing charged; ``time out``: charged,
    no answer), each retried ``gaps_s`` later (within the lease) by a copy in ``retries``."""

    amount_cents: int
    failures: tuple[str, ...]
    gaps_s: tuple[float, ...]
    retries: tuple[Copy, ...]


FAILURE_CASES = st.builds(
    FailureCase, AMOUNTS,
    st.lists(st.sampled_from(["fail", "time out"]), min_size=1, max_size=2).map(tuple),
    st.lists(WITHIN_LEASE_S, min_size=2, max_size=2).map(tuple),
    st.lists(st.sampled_from([Copy("redelivery"), Copy("producer retry", 1.0, 1)]),
             min_size=2, max_size=2).map(tuple))


@varied
def check_failed_charge_releases_its_claim(charge_once, *, seed: int) -> None:
    """A payment call that raised, before or after it charged, frees the claim and raises:
    the retry charges at once, and the order is charged once in all."""
    with _world(seed) as world:

        def prove(case: FailureCase) -> None:
            gateway = world.new_gateway()
            order = world.order(case.amount_cents)
            first = record = _record(order)
            for attempt, failure in enumerate(case.failures, 1):
                calls_before = gateway.calls
                (gateway.fail_next if failure == "fail" else gateway.time_out_next)()
                error = world.attempt(charge_once, record)
                raised = "ConnectionError" if failure == "fail" else "TimeoutError"
                expect(attempt > 1 or gateway.calls == 1,
                       f"charge_once {_what(error)} without calling the payment API: charge "
                       "the order with gateway.charge.")
                expect(gateway.calls == calls_before + 1,
                       f"Attempt {attempt} did not call the payment API: the attempt before "
                       "it failed, and its claim was still in the way. When the payment call "
                       "raises, release the claim (delete the in-progress record), so a retry "
                       "can charge at once; never mark the order completed before it is "
                       "charged.")
                expect(isinstance(error, Exception),
                       f"The payment API raised {raised} (it "
                       f"{'charged nothing' if failure == 'fail' else 'may have charged'}), "
                       f"and charge_once {_what(error)}. It should release its claim and "
                       "raise again, so that the message is retried.")
                world.clock.advance(case.gaps_s[attempt - 1])
                record = case.retries[attempt - 1].of(order, first)
            error = world.attempt(charge_once, record)
            expect(error is None and gateway.calls == len(case.failures) + 1,
                   f"After {len(case.failures)} failed payment call(s), the retry "
                   f"{_what(error)} with {gateway.calls} payment call(s) in all. When the "
                   "work fails, release the claim, so that the retry can charge at once.")
            expect(world.charges(order.order_id) == 1,
                   f"Payment calls that timed out after charging, then a retry: the order "
                   f"was charged {world.charges(order.order_id)} times. Pass the idempotency "
                   "key to the payment API, so that it recognises the retry.")

        prove(FailureCase(AMOUNT_CENTS, ("fail", "time out"), (1.0, 1.0),
                          (Copy("redelivery"), Copy("redelivery"))))
        for_all(FAILURE_CASES, prove, seed=seed, examples=CHARGE_EXAMPLES)


def _crash_points() -> Iterator[tuple[str, int]]:
    """Where a charge can crash: inside the payment call once it charged, and before or
    after each of the invocation's DynamoDB calls (before: the call never reached DynamoDB;
    after: DynamoDB did it, and the answer never came back)."""
    yield "payment", 0
    for number in range(1, CALL_POINTS_MAX):
        yield "before", number
        yield "after", number


def _crash_at(world: World, where: str, number: int) -> Callable[[], bool]:
    """Arm a crash at one point of what runs next; the returned function disarms it, and
    says whether it fired."""
    if where == "after":
        return _after_call(world, number, _crash)
    fired, seen = [False], [0]

    def crash(**_) -> None:
        seen[0] += 1
        if where == "payment" or seen[0] == number:
            fired[0] = True
            _crash()

    if where == "payment":
        world.gateway.during_next(crash)
        return lambda: fired[0]
    world.on("before-call.dynamodb", crash)

    def disarm() -> bool:
        world.off("before-call.dynamodb", crash)
        return fired[0]

    return disarm


@varied
def check_crash_mid_way_charges_once(charge_once, *, seed: int) -> None:
    """Wherever an invocation crashes (in the payment call, before or after any DynamoDB
    call), the retry after the lease charges the order once and returns its receipt."""
    with _world(seed) as world:
        for where, number in _crash_points():
            world.new_gateway()
            order = world.order(world.rng.randint(1, MAX_AMOUNT_CENTS))
            first = _record(order)
            disarm = _crash_at(world, where, number)
            error = world.attempt(charge_once, first)
            if not disarm():
                expect(where != "payment", f"charge_once {_what(error)} without calling the "
                                           "payment API: charge the order with gateway.charge.")
                return
            _expect_crashed(error)
            point = ("inside the payment call, after it charged" if where == "payment" else
                     f"{where} your DynamoDB call number {number}")
            waited_s = FUNCTION_TIMEOUT_S + world.rng.randint(1, VISIBILITY_TIMEOUT_S)
            world.clock.advance(waited_s)
            retry = world.rng.choice([_redelivered(first),
                                      Copy("producer retry", 3.0, 3).of(order, first)])
            retry_error, returned = world.outcome(charge_once, retry)
            expect(retry_error is None,
                   f"An invocation crashed {point}. The retry, {waited_s} s later, "
                   f"raised {retry_error!r}: by then the crashed invocation's claim must have "
                   "expired (FUNCTION_TIMEOUT_S after it was made), so the retry can claim "
                   "the key and finish the work.")
            expect(world.charges(order.order_id) == 1,
                   f"An invocation crashed {point}; the retry charged again "
                   f"({world.charges(order.order_id)} charges). Your store cannot know about "
                   "a charge it never recorded: pass the idempotency key to the payment API "
                   "(gateway.charge(..., idempotency_key=key)), so it recognises the retry.")
            expect(returned == world.receipt(order.order_id),
                   f"After a crash {point}, the retry should return the receipt of the one "
                   f"charge, {world.receipt(order.order_id)}; it returned {_shown(returned)}."
                   f"{_plain_data_hint(returned)}")


@dataclass(frozen=True)
class StoreFailureCase:
    """DynamoDB fails every call with ``fault``: for a copy of an order completed ``days``
    ago (``redrive``), for a new order (``new``), or once the payment API has charged
    (``completion``)."""

    fault: Fault
    when: str
    days: float


STORE_FAILURE_CASES = st.builds(
    StoreFailureCase, STORE_FAULTS, st.sampled_from(["redrive", "new", "completion"]),
    st.sampled_from([GATEWAY_KEY_WINDOW_S / SECONDS_PER_DAY + 0.5, 3.0, 7.5, 13.0]))


def _expect_unrecorded_charge_raises(world: World, charge_once, record: dict,
                                     fault: Fault) -> None:
    """The learner's charge of ``record``, DynamoDB failing every call from the moment the
    payment API charged, must raise: the charge is not recorded."""
    rules: list[Rule] = []

    def store_fails_from_now() -> None:
        rules.append(fault.install(world.faults))

    world.gateway.during_next(store_fails_from_now)
    error, returned = world.outcome(charge_once, record, RUNAWAY_CALLS, STORE_DOWN_HINT)
    for rule in rules:
        world.faults.rules.remove(rule)
    expect(rules, f"charge_once {_what(error, returned)} without calling the payment API: "
                  "charge the order with gateway.charge.")
    expect(isinstance(error, Exception),
           f"The payment API charged, then DynamoDB failed every call with {fault}, and "
           f"charge_once {_what(error, returned)}. The charge was not recorded as completed: "
           "raise, so that the message comes back and its retry records it (the payment API "
           "recognises the key). Reporting success leaves an in-progress claim that expires, "
           "and a later duplicate charges again.")


def _expect_no_charge_without_claim(world: World, charge_once, first: dict,
                                    case: StoreFailureCase) -> None:
    """A copy of ``first`` (of an order completed days before, or of a new one) while
    DynamoDB fails every call must raise, without calling the payment API."""
    what = "a new order"
    if case.when == "redrive":
        world.charge(charge_once, first)
        world.clock.advance(case.days * SECONDS_PER_DAY)
        what = f"a copy of an order charged {case.days:.1f} days before"
    calls_before = world.gateway.calls
    with world.store_failing(case.fault):
        error, returned = world.outcome(charge_once, _redelivered(first), RUNAWAY_CALLS,
                                        STORE_DOWN_HINT)
    expect(world.gateway.calls == calls_before,
           f"DynamoDB failed every call with {case.fault}, and charge_once still called the "
           f"payment API for {what}. No claim was written: charge only once your own claim "
           "succeeded, and let any other error raise (the message comes back). Past the "
           "payment API's 24 hours, that charge is a second one.")
    expect(isinstance(error, Exception),
           f"DynamoDB failed every call with {case.fault}, and charge_once "
           f"{_what(error, returned)} for {what}. Let the error raise, so that the message "
           "comes back.")


def _expect_retry_recovers(world: World, charge_once, first: dict, order: Order) -> None:
    """The message comes back after the visibility timeout, DynamoDB answering again: its
    retry ends with the order charged once, and returns the receipt of that charge."""
    world.clock.advance(VISIBILITY_TIMEOUT_S)
    error, again = world.outcome(charge_once, _redelivered(first))
    expect(error is None,
           f"Once DynamoDB answered again, the message came back {VISIBILITY_TIMEOUT_S} s "
           f"later, and its retry raised {error!r}. By then any claim the failed invocation "
           "left must have expired (FUNCTION_TIMEOUT_S after it was made).")
    receipt, hint = world.receipt(order.order_id), _plain_data_hint(again)
    expect(world.charges(order.order_id) == 1 and again == receipt,
           f"Once DynamoDB answered again, the message's retry returned {_shown(again)}, with "
           f"{world.charges(order.order_id)} charge(s) in all. It should return the receipt "
           f"of the order's one charge, {receipt}"
           + (f".{hint}" if hint else ": pass your key to the payment API, which recognises "
              "the retry."))


@varied
def check_store_errors_charge_nothing(charge_once, *, seed: int) -> None:
    """When DynamoDB fails, charge_once raises: it never charges without a claim of its own,
    and never reports success for a charge it could not record; the message's retry then
    ends with one charge."""
    with _world(seed) as world:

        def prove(case: StoreFailureCase) -> None:
            world.new_gateway()
            order = world.order(world.rng.randint(1, MAX_AMOUNT_CENTS))
            first = _record(order)
            if case.when == "completion":
                _expect_unrecorded_charge_raises(world, charge_once, first, case.fault)
            else:
                _expect_no_charge_without_claim(world, charge_once, first, case)
            if case.when != "redrive":  # (how long records last is another test's)
                _expect_retry_recovers(world, charge_once, first, order)

        for when in ("redrive", "new", "completion"):
            prove(StoreFailureCase(THROTTLED, when, 3.0))
        for_all(STORE_FAILURE_CASES, prove, seed=seed, examples=FAULT_EXAMPLES)


@dataclass(frozen=True)
class RedriveCase:
    """Orders charged a few seconds apart, then replayed at ``ages_s`` (seconds since the
    first was sent), the last one the oldest a message can be."""

    amounts: tuple[int, ...]
    ages_s: tuple[float, ...]


OLDEST_REPLAY_S = SQS_MAX_RETENTION_S - REDRIVE_MARGIN_S
REDRIVE_CASES = st.builds(
    RedriveCase, st.lists(AMOUNTS, min_size=1, max_size=2).map(tuple),
    st.lists(st.sampled_from([60, 3600, SECONDS_PER_DAY + 60, 7 * SECONDS_PER_DAY,
                              13 * SECONDS_PER_DAY]), max_size=2).map(
        lambda ages: (*sorted(ages), OLDEST_REPLAY_S)))


@varied
def check_late_redrive_is_remembered(charge_once, *, seed: int) -> None:
    """A completed record holds the receipt as JSON, and answers every replay of the
    message for the 14 days SQS may keep it; the payment API forgets keys after a day."""
    with _world(seed) as world:

        def prove(case: RedriveCase) -> None:
            gateway = world.new_gateway()
            orders = [world.order(amount) for amount in case.amounts]
            records = [_record(order) for order in orders]
            receipts = [world.charge(charge_once, record) for record in records]
            _expect_completed_records(world, receipts)
            for age_s in case.ages_s:
                world.clock.advance(max(0.0, orders[0].sent_at_s + age_s - world.now()))
                for order, record, receipt in zip(orders, records, receipts, strict=True):
                    days = (world.now() - order.sent_at_s) / SECONDS_PER_DAY
                    later = world.charge(charge_once, _redelivered(record))
                    expect(world.charges(order.order_id) == 1 and later == receipt,
                           f"The same message, redriven from the dead-letter queue {days:.2f} "
                           f"days after it was sent, got {_shown(later)} (the first delivery "
                           f"got {receipt}), and the order was charged "
                           f"{world.charges(order.order_id)} time(s). SQS keeps messages up "
                           "to 14 days (SQS_MAX_RETENTION_S): keep completed records at "
                           "least that long; the payment API forgets keys after 24 hours."
                           f"{_plain_data_hint(later)}")
            expect(gateway.calls == len(orders),
                   f"{len(orders)} orders were replayed for days, and the payment API was "
                   f"called {gateway.calls} times. A replay of a completed order must be "
                   "answered from the store.")

        prove(RedriveCase((AMOUNT_CENTS,), (10.0 * SECONDS_PER_DAY, OLDEST_REPLAY_S)))
        for_all(REDRIVE_CASES, prove, seed=seed, examples=CHARGE_EXAMPLES)


def _expect_completed_records(world: World, receipts: list[dict]) -> None:
    """The table holds a COMPLETED record for each receipt: the receipt as JSON in a string
    attribute, and a numeric expires_at."""
    items = world.records_in_table()
    for receipt in receipts:
        found = [item for item in items
                 if any(_json_of(value.get("S")) == receipt for value in item.values())]
        expect(found,
               f"No record of the table holds the receipt {receipt} as JSON in a string "
               "attribute. Write the completed record with the receipt, json.dumps(receipt), "
               "in a string attribute such as response.")
        expect(found[0].get("status") == {"S": "COMPLETED"}
               and "N" in found[0].get("expires_at", {}),
               f"The record that holds the receipt should have status COMPLETED and a "
               f"number expires_at; it is {found[0]}.")
        expires_s = float(found[0]["expires_at"]["N"])
        expect(world.now() < expires_s < world.now() + LONGEST_KEEP_S,
               f"A completed record's expires_at is {found[0]['expires_at']['N']}, and it is "
               f"now {world.now():.0f} (Unix seconds). Keep times in Unix seconds, as now() "
               "gives them: the completed record expires once no duplicate can arrive.")


def _json_of(text: str | None) -> object:
    """``text`` parsed as JSON, or None if it is not."""
    try:
        return json.loads(text) if text is not None else None
    except ValueError:
        return None


# -- 4. the handler ---------------------------------------------------------------------------


def _expect_failures_reported(response: object, expected: list[str], what: str) -> None:
    """The handler's response reports exactly the ``expected`` message ids (in any order;
    with none, an empty report or none at all)."""
    if not expected and response in (None, {}, {"batchItemFailures": []}):
        return
    expect(isinstance(response, dict) and isinstance(response.get("batchItemFailures"), list),
           f"{what} The handler should return {{'batchItemFailures': [{{'itemIdentifier': "
           f"messageId}}, ...]}}; it returned {_shown(response)}.")
    assert isinstance(response, dict)
    reported = response["batchItemFailures"]
    expect(all(isinstance(entry, dict) and set(entry) == {"itemIdentifier"}
               for entry in reported),
           f"{what} Each entry of batchItemFailures should be {{'itemIdentifier': "
           f"messageId}}; the handler returned {_shown(reported)}.")
    ids = sorted(entry["itemIdentifier"] for entry in reported)
    missing, extra = sorted(set(expected) - set(ids)), sorted(set(ids) - set(expected))
    expect(not missing,
           f"{what} The handler did not report {missing}, whose charge_once raised: those "
           "messages would be deleted, their orders never charged. Report every record that "
           "raised, by its messageId.")
    expect(not extra and len(ids) == len(set(ids)),
           f"{what} The handler reported {extra or ids}, but only {sorted(expected)} raised. "
           "Report each record that raised, once, and no other: a reported message comes "
           "back.")


def check_handler_reports_failures(make_handler) -> None:
    with _world() as world:
        orders = [world.order() for _ in range(3)]
        records = [_record(order) for order in orders]
        world.gateway.fail_next(calls=1, after=1)
        handler = make_handler(world.dynamodb, world.gateway, world.now)
        response = world.handle(handler, records)
        expected = {"batchItemFailures": [{"itemIdentifier": records[1]["messageId"]}]}
        expect(response == expected,
               f"The payment API failed for the second order only. The handler should "
               f"return {expected}; it returned {_shown(response)}.")
        charged = {order.order_id: world.charges(order.order_id) for order in orders}
        expect(charged == {"o-1": 1, "o-2": 0, "o-3": 1},
               f"Orders o-1 and o-3 should be charged once, o-2 not at all: {charged}.")


@dataclass(frozen=True)
class BatchCase:
    """A batch of records for ``orders`` orders (``picks``: the order each record carries),
    of which ``done`` were completed before and ``busy`` are being charged elsewhere (a
    crashed invocation's claim); the payment calls of the batch numbered in ``failing``
    fail, those in ``timing_out`` charge and time out."""

    orders: int
    picks: tuple[int, ...]
    done: frozenset[int]
    busy: frozenset[int]
    failing: frozenset[int]
    timing_out: frozenset[int]

    def settled(self) -> BatchCase:
        """The same case, an order done or busy but not both, a call failing or timing out."""
        return BatchCase(self.orders, self.picks, self.done - self.busy, self.busy,
                         self.failing, self.timing_out - self.failing)


BATCH_CASES = st.builds(
    BatchCase, st.just(4), st.lists(st.integers(0, 3), min_size=1, max_size=6).map(tuple),
    st.frozensets(st.integers(0, 3), max_size=2), st.frozensets(st.integers(0, 3), max_size=1),
    st.frozensets(st.integers(1, 6), max_size=3), st.frozensets(st.integers(1, 6), max_size=2))


def _expected_batch(case: BatchCase, records: list[dict]) -> tuple[list[str], set[int]]:
    """What the contract says of a batch: the messageIds whose charge_once raises, and the
    orders charged (once) in the end, those done or in progress before it included."""
    completed, charged = set(case.done), set(case.done | case.busy)
    failed, calls = [], 0
    for pick, record in zip(case.picks, records, strict=True):
        if pick in completed:
            continue
        if pick in case.busy:
            failed.append(record["messageId"])
            continue
        calls += 1
        if calls not in case.failing:  # a call that times out has charged
            charged.add(pick)
        if calls in case.failing or calls in case.timing_out:
            failed.append(record["messageId"])
        else:
            completed.add(pick)
    return failed, charged


def _batch_records(case: BatchCase, orders: list[Order], firsts: list[dict]) -> list[dict]:
    """The batch's records: each order's first message, and for a second copy of an order
    in the batch, a producer's retry."""
    seen: dict[int, int] = {}
    records = []
    for pick in case.picks:
        seen[pick] = seen.get(pick, 0) + 1
        copy = Copy("producer retry", seen[pick], seen[pick] % BODY_LAYOUTS)
        records.append(firsts[pick] if seen[pick] == 1 else copy.of(orders[pick], firsts[pick]))
    return records


@varied
def check_handler_reports_every_failure(make_handler, *, seed: int) -> None:
    """In batches of any size, with payment calls failing or timing out anywhere, orders
    in progress elsewhere and copies of orders done before or earlier in the batch, the
    handler charges what it can and reports exactly the records whose charge raised; so it
    does when DynamoDB fails one order's calls (a ClientError, then a BotoCoreError), and
    its next batch reports nothing of the one before."""
    with _world(seed) as world:

        def prove(drawn: BatchCase) -> None:
            case = drawn.settled()
            gateway = world.new_gateway()
            handler = make_handler(world.dynamodb, gateway, world.now)
            orders = [world.order(world.rng.randint(1, MAX_AMOUNT_CENTS))
                      for _ in range(case.orders)]
            firsts = [_record(order) for order in orders]
            for number in sorted(case.done):
                world.handle(handler, [firsts[number]])
            for number in sorted(case.busy):  # a crash leaves its claim in progress
                gateway.during_next(_crash)
                _outcome(partial(world.handle, handler, [firsts[number]]))
            for call in case.failing:
                gateway.fail_next(after=call - 1)
            for call in case.timing_out:
                gateway.time_out_next(after=call - 1)
            records = _batch_records(case, orders, firsts)
            expected, charged = _expected_batch(case, records)
            response = world.handle(handler, records)
            what = (f"A batch of {len(records)} record(s) for {len(set(case.picks))} order(s), "
                    f"with payment calls {sorted(case.failing | case.timing_out) or 'none'} "
                    f"of it failing and {len(case.busy)} order(s) being charged elsewhere.")
            _expect_failures_reported(response, expected, what)
            wrong = {order.order_id: world.charges(order.order_id)
                     for number, order in enumerate(orders)
                     if world.charges(order.order_id) != (number in charged)}
            expect(not wrong,
                   f"{what} Orders were charged {wrong} times, where each order should be "
                   "charged once, unless its every payment call failed. The handler must call "
                   "charge_once for every record, even after one raised.")

        prove(BatchCase(3, (0, 1, 2, 1), frozenset(), frozenset({2}), frozenset({1}),
                        frozenset()))
        for_all(BATCH_CASES, prove, seed=seed, examples=CHARGE_EXAMPLES)
        for faults in (CLIENT_ERROR_FAULTS, BOTOCORE_ERROR_FAULTS):
            _expect_store_failure_reported(world, make_handler, world.rng.choice(faults),
                                           world.rng.randint(1, STORE_FAILURE_BATCH))


CLIENT_ERROR_FAULTS = (THROTTLED, Fault("server_error", status=500),
                       Fault("error", "ValidationException", 400))  # botocore: ClientError
BOTOCORE_ERROR_FAULTS = (Fault("timeout"), Fault("drop"), Fault("unreachable"))  # BotoCoreError
STORE_FAILURE_BATCH = 3  # orders in the batch of which one order's DynamoDB calls all fail
FAILING_KEY_RULE = "idempotency-check: the rule failing this call"  # in a call's context


def _key_of_call(params: dict) -> str | None:
    """The idempotency key a DynamoDB call (botocore's request dict) reads or writes."""
    try:
        body = json.loads(params["body"])
        return (body.get("Key") or body.get("Item"))[TABLE_KEY]["S"]
    except Exception:  # noqa: BLE001 - a call about no one key
        return None


def _fail_the_calls_of_one_key(world: World, fault: Fault, number: int
                               ) -> Callable[[], str | None]:
    """From now on, every DynamoDB call about the ``number``-th key that calls name (in the
    order they first name them) fails with ``fault``, each attempt botocore makes included;
    calls about other keys go through. The returned function disarms it, and gives that key
    (None if it never came)."""
    keys: list[str] = []
    installed: list[Rule] = []

    def before(params=None, context=None, **_) -> None:
        key = _key_of_call(params or {})
        if key is None or context is None:
            return
        if key not in keys:
            keys.append(key)
        if len(keys) >= number and key == keys[number - 1]:
            context[FAILING_KEY_RULE] = fault.install(world.faults)
            installed.append(context[FAILING_KEY_RULE])

    def after(context=None, **_) -> None:
        rule = (context or {}).pop(FAILING_KEY_RULE, None)
        if rule is not None and rule in world.faults.rules:
            world.faults.rules.remove(rule)

    hooks: list[tuple[str, Callable[..., None]]] = [
        ("before-call.dynamodb", before), ("after-call.dynamodb", after),
        ("after-call-error.dynamodb", after)]
    for event, hook in hooks:
        world.on(event, hook)

    def disarm() -> str | None:
        for event, hook in hooks:
            world.off(event, hook)
        for rule in installed:  # a call that a crash ended, say, took none off
            if rule in world.faults.rules:
                world.faults.rules.remove(rule)
        return keys[number - 1] if len(keys) >= number else None

    return disarm


def _expect_store_failure_reported(world: World, make_handler, fault: Fault,
                                   number: int) -> None:
    """A batch of new orders in which every DynamoDB call about one order's key fails: the
    handler charges every other order, and reports that order's record alone. Then the
    same handler, on the next batch (a warm Lambda's next invocation), reports no record of
    the batch before."""
    gateway = world.new_gateway()
    handler = make_handler(world.dynamodb, gateway, world.now)
    orders = [world.order(world.rng.randint(1, MAX_AMOUNT_CENTS))
              for _ in range(STORE_FAILURE_BATCH)]
    records = [_record(order) for order in orders]
    what = (f"A batch of {len(records)} new orders, in which DynamoDB failed every call "
            f"about one order's key with {fault}.")
    disarm = _fail_the_calls_of_one_key(world, fault, number)
    try:
        response = world.handle(handler, records, what)
    finally:
        failed_key = disarm()
    if failed_key is None:  # no call named a key (other tests say what is wrong then)
        return
    charged = {order.order_id: world.charges(order.order_id) for order in orders}
    uncharged = [n for n, order in enumerate(orders) if charged[order.order_id] == 0]
    if uncharged:  # (else that order's charge_once charged without its claim: not 4's test)
        expect(len(uncharged) == 1
               and sorted(charged.values()) == [0] + [1] * (len(orders) - 1),
               f"{what} The orders were charged {charged} times: every order but that one "
               "should be charged once. The handler must call charge_once for every record, "
               "even after one raised.")
        _expect_failures_reported(response, [records[uncharged[0]]["messageId"]], what)
    later = _record(world.order(world.rng.randint(1, MAX_AMOUNT_CENTS)))
    again = world.handle(handler, [later])
    stale = sorted({record["messageId"] for record in records} & set(_reported_ids(again)))
    expect(not stale,
           f"{what} Then the same handler (a warm Lambda's next invocation) got a batch of "
           f"one new order, and its report held {stale}: records of the batch before. Make "
           "the list of failures inside handler, afresh for each invocation: a list made "
           "once in make_handler is shared by every invocation, and reports old records "
           "again and again.")


def _reported_ids(response: object) -> list[str]:
    """The messageIds a handler's response reports, as far as it has the right shape."""
    reported = response.get("batchItemFailures") if isinstance(response, dict) else None
    entries = reported if isinstance(reported, list) else []
    return [entry["itemIdentifier"] for entry in entries
            if isinstance(entry, dict) and isinstance(entry.get("itemIdentifier"), str)]


@varied
def check_end_to_end_exactly_once(make_handler, *, seed: int) -> None:
    """Run by the SQS emulator: producer retries, a payment call that times out, one that
    fails, a crash in the payment call and one in a DynamoDB call, DynamoDB throttling,
    any batch size. Each order is charged once, and the queue ends empty."""
    rng = random.Random(seed)
    with _world(seed, queue=True) as world:
        assert world.aws is not None
        gateway = world.gateway
        learner_handler = make_handler(world.dynamodb, gateway, world.now)

        def handler(event, context):
            try:
                with world.store_calls.limited(RUNAWAY_CALLS):
                    return learner_handler(event, context)
            except Crash:
                raise RuntimeError("Runtime exited: the invocation crashed") from None

        batch_size = rng.randint(*E2E_BATCH_SIZES)
        mapping = SqsEventSourceMapping(
            world.aws, QUEUE, Function(handler, timeout_s=FUNCTION_TIMEOUT_S),
            {"BatchSize": batch_size, "FunctionResponseTypes": ["ReportBatchItemFailures"],
             "ScalingConfig": {"MaximumConcurrency": E2E_POLLERS}})
        url = world.aws.queue_urls[QUEUE]
        count = rng.randint(*E2E_ORDERS)
        orders = [world.order(rng.randint(1, MAX_AMOUNT_CENTS)) for _ in range(count)]
        retried = set(rng.sample(range(count), k=count // 4 + 1))
        for number, order in enumerate(orders):
            mapping.sqs.send_message(QueueUrl=url, MessageBody=_body(order, order.sent_at_s))
            if number in retried:
                mapping.sqs.send_message(QueueUrl=url, MessageBody=_body(
                    order, round(order.sent_at_s + rng.uniform(0.5, 5), 3),
                    rng.randrange(BODY_LAYOUTS)))
        timing_out, crashing, *failing = rng.sample(range(1, count + 1), 4)
        gateway.time_out_next(after=timing_out - 1)
        for call in failing:
            gateway.fail_next(after=call - 1)
        gateway.during_call(crashing, _crash)
        _after_call(world, rng.randint(1, 2 * count), _crash)
        world.faults.throttle(rate=E2E_THROTTLE_RATE)
        metrics = mapping.run(until_s=world.clock.now() + E2E_RUN_S)
        world.faults.clear()
        charged = gateway.times_charged()
        never = [order.order_id for order in orders if charged[order.order_id] == 0]
        twice = sorted(order for order, times in charged.items() if times > 1)
        scenario = (f"Run by the SQS emulator ({count} orders, {len(retried)} of them sent "
                    f"twice by the producer, batches of up to {batch_size}, payment call "
                    f"{timing_out} timing out after it charged, calls {sorted(failing)} "
                    "failing, a "
                    f"crash inside call {crashing} and one in a DynamoDB call, DynamoDB "
                    "throttling now and then)")
        expect(not twice, f"{scenario}, orders {twice} were charged more than once.")
        expect(not never,
               f"{scenario}, orders {never} were never charged: their messages were deleted "
               "(reported as success) without a charge. Report every message that did not "
               "complete.")
        attributes = mapping.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=[
            "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"])
        left = sum(int(number) for number in attributes["Attributes"].values())
        expect(left == 0,
               f"{scenario}, {left} message(s) were still in the queue after an hour "
               f"({metrics.invocations} invocations), failing every time they came back: "
               "orders nobody can charge, or records reported again and again. Look for a "
               "claim that never ends (a crashed invocation's claim must expire "
               "FUNCTION_TIMEOUT_S after it was made), or a list of failures that outlives "
               "one invocation (make it inside handler, afresh for each batch).")

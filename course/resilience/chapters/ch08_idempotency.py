"""Chapter 8's scenario: orders charged through an SQS queue that delivers at least once.

A producer sends orders to a moto queue; the SQS event source mapping emulator hands them
to a Lambda function that charges each order with a ``PaymentGateway``. Duplicates come
from three places, each with its own rate:

- the producer's SendMessage times out after the message got in, so it sends it again
  (a second message, with a new messageId, for the same order);
- the payment API times out after charging, so the function reports the message as failed
  and it comes back after the visibility timeout;
- the invocation crashes after charging and before anything is recorded, so the whole
  batch comes back, the orders already charged included.

``duplicate_story`` runs it under one of ``STRATEGIES`` (short keys; ``LABELS`` gives the
words the widget and the chapter show) and counts how often each order was charged, and which
kind of duplicate caused each extra charge. It is deterministic and cached, so a widget
redraws at once when a setting comes back; its stories are frozen, as every caller shares
them.

The chapter's later lessons live here too:

- sagas: ``ORDER_SAGA``, a Step Functions definition (Amazon States Language) of an order
  that reserves stock, charges and ships, with Retry for transient errors and Catch to the
  compensations; ``run_state_machine`` runs it on a simulated clock (moto runs no state
  machine), over the services of ``Shop``, with ``saga_tasks`` making every step and every
  compensation idempotent through an ``IdempotencyStore``;
- the dual write and the outbox: ``place_order_dual_write`` (two writes that can half-fail),
  ``place_order_outbox`` (the order and its event in one ``TransactWriteItems``) and
  ``relay_outbox`` (what an EventBridge Pipe from the outbox table's DynamoDB stream does),
  tallied on moto by ``dual_write_story``.
"""

from __future__ import annotations

import json
import random
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from botocore.client import BaseClient

from resilience.aws.facts import (
    SQS_BATCH_MAX_ENTRIES,
    SQS_VISIBILITY_PER_FUNCTION_TIMEOUT,
    STEP_FUNCTIONS_RETRY_DEFAULTS,
    function_arn,
)
from resilience.aws.motoclock import unix_time
from resilience.clock import SimClock
from resilience.eventsources import Function, SqsEventSourceMapping
from resilience.idempotency import (
    FUNCTION_TIMEOUT_S,
    IDEMPOTENCY_TABLE,
    Crash,
    IdempotencyStore,
    PaymentGateway,
)
from resilience.models.frozen import frozen_mapping
from resilience.sandbox import aws_sandbox
from resilience.ui.explorers import WIDE, explorer
from resilience.ui.figures import BAD, GOOD, NEUTRAL, WARN, new_figure, style
from resilience.ui.progress import steps

QUEUE = "orders"
ORDERS = 200
STORY_SEED = 8
STORY_MINUTES = 60  # long enough for every redelivery to come back and settle
VISIBILITY_TIMEOUT_S = SQS_VISIBILITY_PER_FUNCTION_TIMEOUT * FUNCTION_TIMEOUT_S  # chapter 4
INVOCATION_S = 2.0  # simulated run time of one invocation
AMOUNT_CENTS = 1999  # what each order costs

# How each strategy makes an order's charge idempotent: the key its store uses (None: no
# store at all) and whether it hands that key to the payment API as well.
STRATEGIES = {
    "none": (None, False),
    "message-id": ("messageId", True),
    "order-store": ("order", False),
    "order-end-to-end": ("order", True),
}
LABELS = {
    "none": "no idempotency",
    "message-id": "store keyed by messageId, key to the payment API",
    "order-store": "store keyed by order, no key to the payment API",
    "order-end-to-end": "store keyed by order, key to the payment API",
}
CAUSES = ("producer retry", "payment timeout", "crash")  # the three kinds of duplicate


@dataclass(frozen=True)
class DuplicateStory:
    """What a run did: how often each order was charged, and why it was charged again
    (frozen: a cached story is shared). The counts by cause read 0 for a cause that never
    happened, as a ``Counter`` does."""

    strategy: str  # one of STRATEGIES
    orders: int
    times_charged: Mapping[str, int]  # order id -> charges
    duplicate_deliveries: Mapping[str, int]  # cause -> deliveries
    extra_charges: Mapping[str, int]  # cause -> charges past the 1st
    invocations: int
    failed_invocations: int

    @property
    def charged_once(self) -> int:
        return sum(1 for n in self.times_charged.values() if n == 1)

    @property
    def charged_more(self) -> int:
        return sum(1 for n in self.times_charged.values() if n > 1)

    @property
    def never_charged(self) -> int:
        return self.orders - len(self.times_charged)

    @property
    def overcharged_cents(self) -> int:
        return AMOUNT_CENTS * sum(n - 1 for n in self.times_charged.values() if n > 1)


class _Consumer:
    """The function under one strategy, with the run's faults and its bookkeeping."""

    def __init__(self, strategy: str, store: IdempotencyStore, gateway: PaymentGateway,
                 rng: random.Random, timeout_rate: float, crash_rate: float,
                 retried_messages: set[str]):
        self.key_source, self.key_downstream = STRATEGIES[strategy]
        self.store, self.gateway, self.rng = store, gateway, rng
        self.timeout_rate, self.crash_rate = timeout_rate, crash_rate
        self.retried_messages = retried_messages
        self.duplicate_deliveries: Counter[str] = Counter()  # cause -> deliveries
        self.extra_charges: Counter[str] = Counter()  # cause -> charges past the 1st
        self.seen_orders: set[str] = set()
        self.last_failure: dict[str, str] = {}  # messageId -> why its last delivery failed

    def handler(self, event, context):
        """Charge every order of the batch; report the ones that failed; die on a crash."""
        failures = []
        for index, record in enumerate(event["Records"]):
            cause = self._cause(record)
            if cause:
                self.duplicate_deliveries[cause] += 1
            try:
                self._charge(record, cause)
            except Crash:
                for each in event["Records"][:index + 1]:  # the rest never got a look
                    self.last_failure[each["messageId"]] = "crash"
                raise RuntimeError("the invocation crashed") from None
            except Exception as error:
                if isinstance(error, TimeoutError):
                    self.last_failure[record["messageId"]] = "payment timeout"
                failures.append({"itemIdentifier": record["messageId"]})
        return {"batchItemFailures": failures}

    def _cause(self, record) -> str | None:
        """Why this delivery is a duplicate (None for an order's first delivery)."""
        order_id = json.loads(record["body"])["order_id"]
        first = order_id not in self.seen_orders
        self.seen_orders.add(order_id)
        if first:
            return None
        if record["messageId"] in self.last_failure:
            return self.last_failure.pop(record["messageId"])
        return "producer retry" if record["messageId"] in self.retried_messages else None

    def _charge(self, record, cause: str | None) -> None:
        order = json.loads(record["body"])
        key = None if self.key_source is None else (
            record["messageId"] if self.key_source == "messageId" else order["order_id"])

        def work():
            charged_before = len(self.gateway.charges)
            if self.rng.random() < self.timeout_rate:
                self.gateway.time_out_next()
            try:
                receipt = self.gateway.charge(
                    order["order_id"], order["amount_cents"],
                    idempotency_key=key if self.key_downstream else None)
            finally:
                if len(self.gateway.charges) > charged_before and cause:
                    self.extra_charges[cause] += 1
            if self.rng.random() < self.crash_rate:
                raise Crash()
            return receipt

        if key is None:
            work()
        else:
            self.store.run_once(key, work)


@lru_cache(maxsize=256)
def duplicate_story(strategy: str = "none", producer_retry_rate: float = 0.05,
                    timeout_rate: float = 0.05, crash_rate: float = 0.02,
                    orders: int = ORDERS, seed: int = STORY_SEED) -> DuplicateStory:
    """Send ``orders`` orders through the queue and charge them under ``strategy``, with
    these rates of producer retries, payment timeouts and crashes (fractions of calls)."""
    if strategy not in STRATEGIES:
        raise ValueError(f"unknown strategy {strategy!r}: choose one of {list(STRATEGIES)}")
    rng = random.Random(seed)
    clock = SimClock()
    with aws_sandbox(tables=[IDEMPOTENCY_TABLE], clock=clock) as aws:
        sqs = aws.client("sqs")
        url = sqs.create_queue(QueueName=QUEUE, Attributes={
            "VisibilityTimeout": str(VISIBILITY_TIMEOUT_S)})["QueueUrl"]
        retried = _send_orders(sqs, url, orders, producer_retry_rate, rng)
        now = unix_time(clock)
        gateway = PaymentGateway(now, random.Random(seed + 1))
        consumer = _Consumer(strategy, IdempotencyStore(aws.client("dynamodb"), now), gateway,
                             rng, timeout_rate, crash_rate, retried)
        mapping = SqsEventSourceMapping(
            aws, QUEUE, Function(consumer.handler, timeout_s=FUNCTION_TIMEOUT_S,
                                 duration_s=INVOCATION_S),
            {"FunctionResponseTypes": ["ReportBatchItemFailures"]})
        for minute in steps(range(1, STORY_MINUTES + 1), "minutes of orders simulated"):
            metrics = mapping.run(until_s=minute * 60)
    return DuplicateStory(strategy, orders, frozen_mapping(gateway.times_charged()),
                          frozen_mapping(consumer.duplicate_deliveries),
                          frozen_mapping(consumer.extra_charges), metrics.invocations,
                          metrics.failed_invocations)


def _send_orders(sqs: BaseClient, url: str, orders: int, retry_rate: float,
                 rng: random.Random) -> set[str]:
    """Send the orders, some of them twice (a producer's retry after a timeout that hid a
    success); return the messageIds of the second copies."""
    entries = []
    for number in range(orders):
        order = {"order_id": f"o-{number:04d}", "amount_cents": AMOUNT_CENTS}
        copies = 2 if rng.random() < retry_rate else 1
        for copy in range(copies):
            entries.append((copy > 0, json.dumps({**order, "sent_at": number + copy})))
    retried: set[str] = set()
    for start in range(0, len(entries), SQS_BATCH_MAX_ENTRIES):
        chunk = entries[start:start + SQS_BATCH_MAX_ENTRIES]
        answer = sqs.send_message_batch(QueueUrl=url, Entries=[
            {"Id": str(i), "MessageBody": body} for i, (_, body) in enumerate(chunk)])
        retried.update(ok["MessageId"] for ok in answer["Successful"] if chunk[int(ok["Id"])][0])
    return retried


# The figures: plain functions that draw on the axes they are given.

def plot_duplicate_story(ax_orders, ax_causes, story) -> None:
    """Orders charged through an at-least-once queue: how often each was charged, and
    which kind of duplicate delivery turned into a second charge."""
    counts = story.times_charged
    bins = [("never", story.never_charged, WARN), ("once", story.charged_once, GOOD),
            ("twice", sum(1 for n in counts.values() if n == 2), BAD),
            ("3+ times", sum(1 for n in counts.values() if n > 2), BAD)]
    bars = ax_orders.bar([label for label, _, _ in bins], [n for _, n, _ in bins],
                         color=[colour for _, _, colour in bins])
    ax_orders.bar_label(bars, fontsize=8)
    ax_orders.set_ylim(0, story.orders * 1.12)
    style(ax_orders, f"{story.charged_more} of {story.orders} orders charged more than once: "
          f"${story.overcharged_cents / 100:,.2f} taken twice", "times charged", "orders")
    causes = list(CAUSES)
    positions = range(len(causes))
    delivered = [story.duplicate_deliveries[c] for c in causes]
    extra = [story.extra_charges[c] for c in causes]
    ax_causes.bar([p - 0.2 for p in positions], delivered, width=0.4, color=NEUTRAL,
                  label="duplicate deliveries")
    ax_causes.bar([p + 0.2 for p in positions], extra, width=0.4, color=BAD,
                  label="extra charges")
    ax_causes.set_xticks(list(positions), causes)
    ax_causes.legend()
    style(ax_causes, f"Where duplicates came from ({story.invocations} invocations, "
          f"{story.failed_invocations} failed)", "cause of the duplicate delivery",
          "deliveries or charges")


# The widgets: a drawing function with keyword defaults, and its controls.

RATE_CHOICES = [("0%", 0.0), ("2%", 0.02), ("5%", 0.05), ("10%", 0.1), ("20%", 0.2)]


def draw_duplicate_story(strategy="none", producer_retry_rate=0.05,
                         timeout_rate=0.05, crash_rate=0.02):
    """Orders charged through an at-least-once queue under one idempotency strategy."""
    story = duplicate_story(strategy, producer_retry_rate, timeout_rate, crash_rate)
    figure, (ax_orders, ax_causes) = new_figure(
        11, 3.4, "Red is money taken twice: which orders were charged more than once, and which "
                 "kind of duplicate caused it.",
        left=0.06, right=0.98, top=0.86, bottom=0.15, wspace=0.22, ncols=2)
    plot_duplicate_story(ax_orders, ax_causes, story)
    return figure


def duplicates_explorer():
    """The idempotency strategy against three kinds of duplicate, each with its rate."""
    import ipywidgets as w

    def rate(value, description):
        return w.SelectionSlider(options=RATE_CHOICES, value=value, description=description,
                                 style=WIDE)

    return explorer(
        w, draw_duplicate_story,
        strategy=w.Dropdown(options=[(LABELS[key], key) for key in STRATEGIES], value="none",
                            description="strategy", style=WIDE,
                            layout=w.Layout(width="480px")),
        producer_retry_rate=rate(0.05, "producer retries"),
        timeout_rate=rate(0.05, "payment timeouts"),
        crash_rate=rate(0.02, "crashes after charging"),
    )


# -- Sagas: a multi-step order, undone step by step when a later step fails -----------------
#
# The production form is a Step Functions state machine whose Task states carry Retry (for
# transient errors) and Catch (to jump to the compensations). moto stores state machines but
# does not run them, so ``run_state_machine`` interprets the small part of the Amazon States
# Language that ``ORDER_SAGA`` uses (Task, Succeed and Fail states; Retry with ErrorEquals,
# IntervalSeconds, MaxAttempts and BackoffRate; Catch with ErrorEquals, ResultPath and Next),
# on a simulated clock, and calls Python functions for the tasks.

TRANSIENT_ERRORS = ["ServiceUnavailable", "States.Timeout"]


def _task(function: str, result_path: str, next_state: str, catch_to: str | None,
          max_attempts: int = 3) -> dict:
    state = {"Type": "Task", "Resource": function_arn(function), "ResultPath": result_path,
             "Retry": [{"ErrorEquals": TRANSIENT_ERRORS, "IntervalSeconds": 1,
                        "MaxAttempts": max_attempts, "BackoffRate": 2.0}],
             "Next": next_state}
    if catch_to is not None:
        state["Catch"] = [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error",
                           "Next": catch_to}]
    return state


# Each forward step's Catch goes to the compensation of the steps done before it, newest
# first; a compensation has no Catch and more retries: it must not give up half-way.
ORDER_SAGA = {
    "Comment": "Place an order; if a step fails, undo the steps before it, newest first.",
    "StartAt": "ReserveStock",
    "States": {
        "ReserveStock": _task("reserve-stock", "$.reservation", "ChargePayment", "OrderFailed"),
        "ChargePayment": _task("charge-payment", "$.charge", "ShipOrder", "ReleaseStock"),
        "ShipOrder": _task("ship-order", "$.shipment", "OrderPlaced", "RefundPayment"),
        "RefundPayment": _task("refund-payment", "$.refund", "ReleaseStock", None, 6),
        "ReleaseStock": _task("release-stock", "$.release", "OrderFailed", None, 6),
        "OrderPlaced": {"Type": "Succeed"},
        "OrderFailed": {"Type": "Fail", "Error": "OrderFailed",
                        "Cause": "a step failed; the steps before it were undone"},
    },
}


class StepError(Exception):
    """An error a task raises, named as Step Functions names it (``error_name``)."""

    error_name = "StepError"


class ServiceUnavailable(StepError):
    """A transient failure of the service behind a step: retry it."""

    error_name = "ServiceUnavailable"


class StepTimedOut(StepError):
    """The task did not answer in time; its work may or may not have been done."""

    error_name = "States.Timeout"


class AddressRejected(StepError):
    """The carrier refuses the address: no retry will help."""

    error_name = "AddressRejected"


class OutOfStock(StepError):
    """Nothing left to reserve."""

    error_name = "OutOfStock"


def _error_name(error: Exception) -> str:
    return getattr(error, "error_name", type(error).__name__)


def _matches(error_equals: list[str], name: str) -> bool:
    """Does a Retry or Catch's ErrorEquals match this error? ``States.ALL`` matches every
    error, ``States.TaskFailed`` every error but ``States.Timeout``."""
    return (name in error_equals or "States.ALL" in error_equals
            or ("States.TaskFailed" in error_equals and name != "States.Timeout"))


@dataclass(frozen=True)
class Execution:
    """How a run of a state machine went: its status, its output, and every task attempt
    as (simulated second, state, outcome)."""

    status: str  # "SUCCEEDED" or "FAILED"
    output: Mapping
    history: tuple[tuple[float, str, str], ...]
    error: str | None = None

    def visited(self) -> list[str]:
        """The states whose task succeeded, in order."""
        return [state for _, state, outcome in self.history if outcome == "ok"]


def run_state_machine(definition: Mapping, tasks: Mapping, state_input: Mapping,
                      clock: SimClock) -> Execution:
    """Run ``definition`` (the subset of the States Language that ``ORDER_SAGA`` uses) on
    ``clock``: each Task state calls ``tasks[state name](input)``, retried and caught as
    its Retry and Catch fields say (Retry defaults: IntervalSeconds 1, MaxAttempts 3,
    BackoffRate 2.0)."""
    data = dict(state_input)
    history: list[tuple[float, str, str]] = []
    name = definition["StartAt"]
    while True:
        state = definition["States"][name]
        if state["Type"] == "Succeed":
            return Execution("SUCCEEDED", frozen_mapping(data), tuple(history))
        if state["Type"] == "Fail":
            return Execution("FAILED", frozen_mapping(data), tuple(history), state["Error"])
        attempts = [0] * len(state.get("Retry", []))
        while True:
            try:
                result = tasks[name](dict(data))
            except Exception as error:  # a task's failure, as Step Functions sees it
                error_name = _error_name(error)
                history.append((clock.now(), name, error_name))
                retry = next((i for i, r in enumerate(state.get("Retry", []))
                              if _matches(r["ErrorEquals"], error_name)), None)
                if retry is not None:
                    retrier = {**STEP_FUNCTIONS_RETRY_DEFAULTS, **state["Retry"][retry]}
                    if attempts[retry] < retrier["MaxAttempts"]:
                        clock.sleep(retrier["IntervalSeconds"]
                                    * retrier["BackoffRate"] ** attempts[retry])
                        attempts[retry] += 1
                        continue
                catcher = next((c for c in state.get("Catch", [])
                                if _matches(c["ErrorEquals"], error_name)), None)
                if catcher is None:
                    return Execution("FAILED", frozen_mapping(data), tuple(history),
                                     error_name)
                data = _put(data, catcher.get("ResultPath", "$"),
                            {"Error": error_name, "Cause": str(error)})
                name = catcher["Next"]
                break
            history.append((clock.now(), name, "ok"))
            data = _put(data, state.get("ResultPath", "$"), result)
            if state.get("End"):
                return Execution("SUCCEEDED", frozen_mapping(data), tuple(history))
            name = state["Next"]
            break


def _put(data: dict, path: str, value) -> dict:
    """``data`` with ``value`` at a ResultPath of the form ``$`` or ``$.field``."""
    if path == "$":
        return dict(value)
    return {**data, path.removeprefix("$."): value}


@dataclass
class Shop:
    """The services the order saga calls: a warehouse, a payment API and a carrier, which
    count what they did. A call made with an ``idempotency_key`` they have seen gets the
    first call's answer back and does nothing again (as the payment API of this chapter).

    ``plan(state, *faults)`` makes the next calls of that step fail, one fault each:
    an exception class is raised before the work; ``"lost reply"`` does the work and then
    times out, so the caller cannot tell."""

    stock: int = 5
    charged_cents: int = 0
    refunded_cents: int = 0
    shipped: int = 0
    calls: Counter = field(default_factory=Counter)  # step -> calls
    _answers: dict = field(default_factory=dict)  # idempotency key -> first answer
    _plan: dict = field(default_factory=dict)  # step -> faults to come

    def plan(self, step: str, *faults) -> None:
        self._plan.setdefault(step, []).extend(faults)

    def _do(self, step: str, key: str | None, effect) -> dict:
        self.calls[step] += 1
        faults = self._plan.get(step, [])
        fault = faults.pop(0) if faults else None
        if isinstance(fault, type):
            raise fault(f"{step} failed before doing anything")
        if key is not None and key in self._answers:
            answer = self._answers[key]
        else:
            answer = effect()
            if key is not None:
                self._answers[key] = answer
        if fault == "lost reply":
            raise StepTimedOut(f"{step} did its work, but its reply was lost")
        return answer

    def reserve(self, order: str, key: str | None = None) -> dict:
        def effect():
            if self.stock < 1:
                raise OutOfStock(f"no stock left for {order}")
            self.stock -= 1
            return {"reserved": 1}
        return self._do("ReserveStock", key, effect)

    def release(self, order: str, key: str | None = None) -> dict:
        def effect():
            self.stock += 1
            return {"released": 1}
        return self._do("ReleaseStock", key, effect)

    def charge(self, order: str, cents: int, key: str | None = None) -> dict:
        def effect():
            self.charged_cents += cents
            return {"charged_cents": cents}
        return self._do("ChargePayment", key, effect)

    def refund(self, order: str, cents: int, key: str | None = None) -> dict:
        def effect():
            self.refunded_cents += cents
            return {"refunded_cents": cents}
        return self._do("RefundPayment", key, effect)

    def ship(self, order: str, key: str | None = None) -> dict:
        def effect():
            self.shipped += 1
            return {"shipped": 1}
        return self._do("ShipOrder", key, effect)


def saga_tasks(shop: Shop, store: IdempotencyStore | None = None) -> dict:
    """The saga's five tasks over ``shop``. With a ``store``, each step (compensations
    included) runs once per order: keyed ``<order>/<step>`` in the store, with the same key
    handed to the service, so a retry after a lost reply is recognised there too."""

    def step(name, call):
        def task(data):
            order = data["order_id"]
            key = f"{order}/{name}" if store is not None else None
            if store is None:
                return call(shop, data, None)
            return store.run_once(key, lambda: call(shop, data, key), payload=data["order"])
        return task

    return {
        "ReserveStock": step("ReserveStock", lambda s, d, k: s.reserve(d["order_id"], k)),
        "ChargePayment": step("ChargePayment", lambda s, d, k: s.charge(
            d["order_id"], d["order"]["amount_cents"], k)),
        "ShipOrder": step("ShipOrder", lambda s, d, k: s.ship(d["order_id"], k)),
        "RefundPayment": step("RefundPayment", lambda s, d, k: s.refund(
            d["order_id"], d["charge"]["charged_cents"], k)),
        "ReleaseStock": step("ReleaseStock", lambda s, d, k: s.release(d["order_id"], k)),
    }


def saga_input(order_id: str = "o-1", amount_cents: int = AMOUNT_CENTS) -> dict:
    """The execution input of the order saga."""
    return {"order_id": order_id, "order": {"order_id": order_id, "amount_cents": amount_cents}}


# -- The dual write and the outbox ----------------------------------------------------------
#
# Saving an order and telling the rest of the system about it are two writes to two services.
# With the outbox, the event is written in the same DynamoDB transaction as the order, and a
# relay publishes it from the outbox table's stream. In production the relay is an EventBridge
# Pipe (source: the table's DynamoDB stream; target: an SQS queue or an event bus); moto
# stores pipes but runs none, so ``relay_outbox`` does the pipe's job: it reads the stream
# (which moto keeps) and sends each new outbox item to the queue.

ORDERS_TABLE, OUTBOX_TABLE, EVENTS_QUEUE = "orders", "outbox", "order-events"


def enable_stream(dynamodb: BaseClient, table: str) -> str:
    """Turn on ``table``'s stream (new images); return the stream's ARN."""
    return dynamodb.update_table(TableName=table, StreamSpecification={
        "StreamEnabled": True, "StreamViewType": "NEW_IMAGE"})["TableDescription"][
        "LatestStreamArn"]


def _order_item(order: Mapping) -> dict:
    return {"id": {"S": order["order_id"]}, "amount_cents": {"N": str(order["amount_cents"])}}


def _event(order: Mapping) -> dict:
    return {"event_id": f"order-placed-{order['order_id']}", "type": "OrderPlaced",
            "order_id": order["order_id"], "amount_cents": order["amount_cents"]}


def place_order_dual_write(dynamodb: BaseClient, sqs: BaseClient, queue_url: str,
                           order: Mapping, crash_between: bool = False) -> None:
    """Save the order, then publish its event: two writes. ``crash_between`` kills the
    invocation after the first (``Crash``)."""
    dynamodb.put_item(TableName=ORDERS_TABLE, Item=_order_item(order),
                      ConditionExpression="attribute_not_exists(id)")
    if crash_between:
        raise Crash()
    sqs.send_message(QueueUrl=queue_url, MessageBody=json.dumps(_event(order)))


def place_order_outbox(dynamodb: BaseClient, order: Mapping) -> None:
    """Save the order and its event in one transaction: both items are written, or neither
    (a second copy of the order fails the whole transaction on its condition)."""
    event = _event(order)
    dynamodb.transact_write_items(TransactItems=[
        {"Put": {"TableName": ORDERS_TABLE, "Item": _order_item(order),
                 "ConditionExpression": "attribute_not_exists(id)"}},
        {"Put": {"TableName": OUTBOX_TABLE,
                 "Item": {"id": {"S": event["event_id"]}, "event": {"S": json.dumps(event)}},
                 "ConditionExpression": "attribute_not_exists(id)"}},
    ])


def relay_outbox(streams: BaseClient, stream_arn: str, sqs: BaseClient, queue_url: str,
                 iterators: dict | None = None) -> int:
    """Do an EventBridge Pipe's job once: read what is new in the outbox table's stream and
    send each new outbox item's event to the queue. ``iterators`` (shard id -> iterator)
    carries the relay's place from one call to the next. Returns the events sent."""
    iterators = {} if iterators is None else iterators
    sent = 0
    for shard in streams.describe_stream(StreamArn=stream_arn)["StreamDescription"]["Shards"]:
        shard_id = shard["ShardId"]
        if shard_id not in iterators:
            iterators[shard_id] = streams.get_shard_iterator(
                StreamArn=stream_arn, ShardId=shard_id,
                ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        answer = streams.get_records(ShardIterator=iterators[shard_id])
        for record in answer["Records"]:
            if record["eventName"] == "INSERT":
                sqs.send_message(QueueUrl=queue_url,
                                 MessageBody=record["dynamodb"]["NewImage"]["event"]["S"])
                sent += 1
        iterators[shard_id] = answer["NextShardIterator"]
    return sent


@dataclass(frozen=True)
class WriteTally:
    """What a run of orders left behind: orders saved, events published, and the orders
    saved with no event (the rest of the system never hears of them)."""

    orders_saved: int
    events_published: int
    orders_without_event: int


def dual_write_story(method: str = "dual write", orders: int = 20, crash_every: int = 7
                     ) -> WriteTally:
    """Place ``orders`` orders with ``method`` ("dual write" or "outbox"); every
    ``crash_every``-th order's invocation crashes right after its first write (the order
    is not retried: the client saw an error). Runs on moto."""
    if method not in ("dual write", "outbox"):
        raise ValueError(f"unknown method {method!r}: choose 'dual write' or 'outbox'")
    with aws_sandbox(tables=[ORDERS_TABLE, OUTBOX_TABLE], queues=[EVENTS_QUEUE]) as aws:
        dynamodb, sqs = aws.client("dynamodb"), aws.client("sqs")
        url = aws.queue_urls[EVENTS_QUEUE]
        stream_arn = enable_stream(dynamodb, OUTBOX_TABLE)
        for number in range(orders):
            order = {"order_id": f"o-{number:04d}", "amount_cents": AMOUNT_CENTS}
            crash = (number + 1) % crash_every == 0
            try:
                if method == "dual write":
                    place_order_dual_write(dynamodb, sqs, url, order, crash_between=crash)
                else:
                    place_order_outbox(dynamodb, order)
                    if crash:  # the invocation dies after its one write: nothing is lost
                        raise Crash()
            except Crash:
                pass
        if method == "outbox":
            relay_outbox(aws.client("dynamodbstreams"), stream_arn, sqs, url)
        saved = {item["id"]["S"] for item in dynamodb.scan(TableName=ORDERS_TABLE)["Items"]}
        published: set[str] = set()
        while True:
            messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get(
                "Messages", [])
            if not messages:
                break
            published.update(json.loads(m["Body"])["order_id"] for m in messages)
            sqs.delete_message_batch(QueueUrl=url, Entries=[
                {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]}
                for i, m in enumerate(messages)])
    return WriteTally(len(saved), len(published), len(saved - published))

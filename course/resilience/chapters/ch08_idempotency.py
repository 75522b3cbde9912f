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
"""

from __future__ import annotations

import json
import random
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from botocore.client import BaseClient

from resilience.aws.facts import SQS_BATCH_MAX_ENTRIES, SQS_VISIBILITY_PER_FUNCTION_TIMEOUT
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

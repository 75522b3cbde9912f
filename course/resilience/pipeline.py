"""The capstone's order pipeline, run in simulated time on moto under a chaos schedule.

::

    clients --> front door --> Kinesis stream --> consumer (Kinesis event source mapping)
                (admit or shed,  (PutRecords)        --> payment API (idempotency keys)
                 then write)                         --> orders table (DynamoDB)
                                                     --> failure queue (SQS)

The course supplies the clients, the door's queue, the services and the chaos; the learner
supplies five parts (``Parts``): ``admit`` (the door's admission policy), ``send_orders``
(the producer), ``make_handler`` (the consumer), ``mapping_config`` (its event source
mapping) and ``alarms`` (rules over each period's metrics). ``run_pipeline`` runs them
under a ``chaos.Schedule`` and returns a ``Run``: every request, every charge, every
stored and failed order and the metrics, which ``resilience.invariants`` judges.

Time: one ``SimClock`` for the whole world. The producer's call and each invocation run to
their end in their own simulated time (their waits move the clock, and faults and moto see
the time they reached); then the clock goes back to where the call began, so that clients
keep arriving meanwhile, and the call's answer lands when its time is up.
"""

from __future__ import annotations

import bisect
import functools
import json
import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

from resilience import chaos
from resilience.aws.facts import SECONDS_PER_DAY
from resilience.aws.motoclock import sim_s
from resilience.clock import SimClock, Timeline
from resilience.eventsources import Function, KinesisEventSourceMapping
from resilience.faults import FaultInjector
from resilience.idempotency import PaymentGateway
from resilience.models.retrybudget import RetryBudget
from resilience.sandbox import Sandbox, aws_sandbox

__all__ = ["Parts", "Request", "Door", "Period", "Run", "run_pipeline", "PaymentAPI",
           "FunctionTimedOut", "STREAM", "TABLE", "FAILURE_QUEUE", "ALARMS", "PART_NAMES",
           "Stopped", "stop_on_grader_errors"]

# -- the traffic and the services --------------------------------------------------------------

ORDERS_PER_S = 2.0  # normal traffic: new orders a second, Poisson arrivals
TRAFFIC_S = 60.0  # clients send orders for this long
DRAIN_S = 30.0  # then the run goes on this long, for the consumer to finish
FAULTS_WITHIN_S = 30.0  # chaos strikes only in the first 30 s (schedules generated so)
DOOR_CAPACITY_PER_S = 5.0  # the front door serves 5 requests a second, one at a time
CLIENT_TIMEOUT_S = 5.0  # a client waits this long for an answer, then gives up
CLIENT_ATTEMPTS = 3  # tries per order, the same order id each time
CLIENT_PAUSE_S = 1.0  # mean pause before trying again (drawn from 0.5 to 1.5 times it)
FLUSH_INTERVAL_S = 2.0  # the producer writes what the door has served, every 2 s
PRODUCER_DEADLINE_S = 1.5  # each write must be done within this of its start
BACKOFF_BASE_S = 0.05  # the producer's full-jitter backoff: the first ceiling ...
BACKOFF_CAP_S = 0.5  # ... and the largest
PAYMENT_TIMEOUT_S = 1.0  # how long the consumer waits for the payment API
TIME_TO_STOP_S = 3.0  # the consumer takes no new record with less than this left
RIDE_OUT_S = 45.0  # an outage of the payment API this long must discard no order
RETRY_BUDGET_TOKENS = 20  # the producer's retry budget: its capacity ...
RETRY_COST_TOKENS = 5  # ... and the tokens a retry costs (retries at most 1 in 5 calls)
FUNCTION_TIMEOUT_S = 10.0  # the consumer's Lambda timeout
PAYMENT_LATENCY_S = 0.05  # a payment call's usual answer time
PAYMENT_CONNECT_S = 1.0  # how long a call waits to connect to an unreachable payment API
PERIOD_S = 10.0  # metrics are kept per period, as CloudWatch keeps them
POISON_AMOUNT = "12,99"  # what a poison order carries instead of a whole number of cents
SERVICE_CLIENT_READ_TIMEOUT_S = 1.0  # the read timeout of the clients the parts are given

STREAM, TABLE, FAILURE_QUEUE = "orders", "orders", "orders-failed"
ALARMS = ("freshness", "failures", "availability")  # the alarms ``alarms`` may raise
# The grader's errors, which end a run rather than count as a part's: a part out of time,
# or the learner's process gone.
STOPPING_ERRORS = ("LearnerTimeout", "WireError")


class Stopped(BaseException):
    """Carries one of the grader's ``STOPPING_ERRORS`` past every ``except Exception`` in
    the emulators (a handler's error is otherwise a function error, and the run goes on
    talking to a learner's process that no longer answers in step)."""

    def __init__(self, error: BaseException):
        super().__init__(error)
        self.error = error


def stop_on_grader_errors(error: BaseException) -> None:
    """Raise ``Stopped`` if ``error`` is one of the grader's own."""
    if type(error).__name__ in STOPPING_ERRORS:
        raise Stopped(error) from None
PART_NAMES = ("admit", "send_orders", "make_handler", "mapping_config", "alarms")


# -- what the parts are shown ------------------------------------------------------------------


class Request(NamedTuple):
    """One attempt of a client to place an order."""

    order_id: str
    attempt: int  # 1 for the first try
    sent_s: float
    deadline_s: float  # when the client stops waiting


class Door(NamedTuple):
    """The front door as ``admit`` sees it when a request arrives."""

    now_s: float
    queued: int  # requests admitted and not yet served
    capacity_per_s: float  # requests it serves a second
    oldest_wait_s: float  # how long the oldest queued request has waited (0 if none)


class Period(NamedTuple):
    """One period's metrics: what ``alarms`` is shown."""

    start_s: float
    length_s: float
    offered: int  # requests that arrived (retries included); of them:
    acked: int  # answered "yes, your order is in"
    refused: int  # answered "no"
    unanswered: int  # not answered before the client gave up
    iterator_age_s: float  # the largest iterator age seen (0 without invocations)
    failure_queue_depth: int  # messages in the failure queue at the period's end
    put_failures: int  # records PutRecords failed, and calls that failed whole
    function_errors: int  # invocations that failed
    payment_errors: int  # payment calls that failed or timed out


@dataclass(frozen=True)
class Parts:
    """The learner's pipeline: the five functions the course runs.

    - ``admit(request, door) -> bool``: let the request in, or refuse it at once.
    - ``send_orders(kinesis, stream, orders, *, clock, rng, budget, deadline_s)
      -> list[str]``: write the orders (dicts) to the stream; return the ids written.
    - ``make_handler(*, payments, dynamodb, sqs, table, failure_queue_url)
      -> handler(event, context)``: the consumer.
    - ``mapping_config(stream_arn, failure_queue_arn) -> dict``: its mapping's parameters.
    - ``alarms(period) -> list of names`` from ``ALARMS``: which alarms fire.
    """

    admit: Callable
    send_orders: Callable
    make_handler: Callable
    mapping_config: Callable
    alarms: Callable


# -- what a run leaves behind ------------------------------------------------------------------


@dataclass
class Attempt:
    """What became of one request."""

    request: Request
    outcome: str = "waiting"  # acked, refused or unanswered
    answered_s: float | None = None


@dataclass
class Run:
    """Everything a run did, for the invariants, the figures and the feedback."""

    schedule: chaos.Schedule
    attempts: list[Attempt] = field(default_factory=list)
    orders: dict[str, dict] = field(default_factory=dict)  # order id -> the order sent
    written_s: dict[str, float] = field(default_factory=dict)  # order id -> first in stream
    acked_s: dict[str, float] = field(default_factory=dict)  # order id -> first ack sent
    stored: dict[str, float] = field(default_factory=dict)  # order id -> first stored
    failed: dict[str, str] = field(default_factory=dict)  # order id -> reason it was set aside
    failed_s: dict[str, float] = field(default_factory=dict)  # order id -> when
    charges: Counter = field(default_factory=Counter)  # order id -> charges made
    periods: list[Period] = field(default_factory=list)
    alarms: list[tuple[float, str]] = field(default_factory=list)  # (period end, alarm)
    iterator_age: list[tuple[float, float]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # a part that broke the run, in words

    @property
    def acked(self) -> set[str]:
        return set(self.acked_s)


# -- the payment API ---------------------------------------------------------------------------


class FunctionTimedOut(BaseException):
    """The invocation's time is up: Lambda stops the handler, so its next call never
    happens. (A BaseException, so that ``except Exception`` does not swallow it.)"""


class PaymentUnavailable(ConnectionError):
    """The payment API could not take the charge now; nothing was charged."""


@dataclass
class PaymentAPI:
    """The consumer's payment API: ``charge`` charges an order, once per idempotency key
    (for a day, as payment APIs do), and fails as the schedule's faults on ``payments``
    say. It raises ``ValueError`` for a charge that can never succeed (an amount that is
    not a whole number of cents), ``ConnectionError`` when it cannot take the charge now
    (nothing charged: retry later), and ``TimeoutError`` when it did not answer within
    ``timeout_s`` (it may have charged: retry with the same idempotency key)."""

    clock: SimClock
    schedule: chaos.Schedule
    deadline: Callable[[], float]  # when the current invocation's time is up
    gateway: PaymentGateway = field(init=False)
    errors: list[float] = field(default_factory=list)  # when calls failed

    def __post_init__(self):
        self.gateway = PaymentGateway(now=self.clock.now, key_window_s=SECONDS_PER_DAY)
        self._rng = self.schedule.rng("payments")

    def charge(self, order_id: str, amount_cents: int, *, idempotency_key: str | None = None,
               timeout_s: float = 5.0) -> dict:
        """Charge ``amount_cents`` for ``order_id``; the receipt is a dict."""
        if self.clock.now() >= self.deadline():
            raise FunctionTimedOut("the invocation's time is up")
        if not isinstance(amount_cents, int) or isinstance(amount_cents, bool):
            self._wait(PAYMENT_LATENCY_S, timeout_s)
            raise ValueError(f"amount_cents must be a whole number of cents, not "
                             f"{amount_cents!r}: this charge can never succeed")
        fault = self._fault()
        if fault is None or fault.kind == "latency":
            latency_s = PAYMENT_LATENCY_S + (fault.amount if fault is not None else 0.0)
            receipt = self.gateway.charge(order_id, amount_cents, idempotency_key)
            self._wait(latency_s, timeout_s)  # the charge is made even if the answer is late
            return receipt
        return self._fail(fault, order_id, amount_cents, idempotency_key, timeout_s)

    def _fault(self) -> chaos.Fault | None:
        """The fault this call meets, if any (each fault strikes at its rate)."""
        for fault in self.schedule.faults:
            if fault.service == "payments" and fault.covers(self.clock.now()) and (
                    self._rng.random() < fault.rate):
                return fault
        return None

    def _fail(self, fault: chaos.Fault, order_id: str, amount_cents: int, key: str | None,
              timeout_s: float) -> dict:
        """Fail the call as ``fault`` says."""
        self.errors.append(self.clock.now())
        if fault.kind == "outage":
            self._wait(PAYMENT_CONNECT_S, timeout_s)
            raise PaymentUnavailable("cannot connect to the payment API: nothing was charged")
        if fault.kind in ("throttle", "server_error", "partial_batch"):
            self._wait(PAYMENT_LATENCY_S, timeout_s)
            raise PaymentUnavailable(f"the payment API answered {_STATUS[fault.kind]}: "
                                     "nothing was charged")
        if fault.kind == "timeout_after_work":
            self.gateway.charge(order_id, amount_cents, key)
        self._wait(math.inf, timeout_s)
        raise AssertionError("unreachable: _wait raises past the timeout")

    def _wait(self, latency_s: float, timeout_s: float) -> None:
        """Wait for the answer: ``latency_s``, or ``timeout_s`` and then a TimeoutError;
        never past the invocation's end (the handler is stopped there)."""
        waited_s = min(latency_s, timeout_s)
        self.clock.advance(min(waited_s, max(0.0, self.deadline() - self.clock.now())))
        if self.clock.now() >= self.deadline():
            raise FunctionTimedOut("the invocation's time is up")
        if latency_s > timeout_s:
            self.errors.append(self.clock.now())
            raise TimeoutError(f"the payment API did not answer within {timeout_s:g} s "
                               "(the charge may have gone through)")


_STATUS = {"throttle": "429 Too Many Requests", "server_error": "503 Service Unavailable",
           "partial_batch": "503 Service Unavailable"}


# -- the run -----------------------------------------------------------------------------------


class _World:
    """The simulated world of one run: clients, the front door, the producer, the consumer
    and the services, on one timeline."""

    def __init__(self, parts: Parts, schedule: chaos.Schedule, aws: Sandbox, clock: SimClock):
        self.parts, self.schedule, self.aws, self.clock = parts, schedule, aws, clock
        self.timeline = Timeline(clock)
        self.run = Run(schedule)
        self.queue: list[Attempt] = []  # admitted, waiting for the door
        self.served: list[Attempt] = []  # served, waiting for the producer
        self.door_busy_until_s = 0.0
        self.producer_free_s = 0.0
        self.client_rng = schedule.rng("clients")
        self.budget = RetryBudget(RETRY_BUDGET_TOKENS, RETRY_COST_TOKENS)
        self.invocation_deadline_s = math.inf
        self.counts: Counter = Counter()  # (period index, metric) -> count
        self.failure_queue_sends: list[float] = []  # when each message reached it
        self.discards: list[tuple[float, str]] = []  # the mapping's records: (when, body)
        self.sequence_owner: dict[str, str | None] = {}  # sequence number -> order id
        self._services()

    # -- services ------------------------------------------------------------------------

    def _services(self) -> None:
        """The clients the parts are given, each behind the schedule's faults."""
        config = {"total_max_attempts": 1, "read_timeout_s": SERVICE_CLIENT_READ_TIMEOUT_S}
        self.kinesis = self.aws.client("kinesis", **config)
        self.dynamodb = self.aws.client("dynamodb", **config)
        self.sqs = self.aws.client("sqs", **config)
        injectors = {name: FaultInjector(client, self.clock, self.schedule.rng(name))
                     for name, client in (("kinesis", self.kinesis),
                                          ("dynamodb", self.dynamodb), ("sqs", self.sqs))}
        chaos.install(self.schedule, injectors)
        self.put_injector = injectors["kinesis"]
        for client in (self.dynamodb, self.sqs):
            client.meta.events.register("before-call", self._stop_past_deadline)
        _after_success(self.dynamodb, self._note_stored)
        _after_success(self.sqs, self._note_set_aside)
        self.payments = PaymentAPI(self.clock, self.schedule, lambda: self.invocation_deadline_s)

    def _stop_past_deadline(self, **_) -> None:
        """Lambda stops a handler at its timeout: no call of its goes out after that."""
        if self.clock.now() >= self.invocation_deadline_s:
            raise FunctionTimedOut("the invocation's time is up")

    def _note_stored(self, operation: str, params: dict, parsed: dict) -> None:
        """Remember when each order first reached the orders table."""
        items = []
        if operation in ("PutItem", "UpdateItem"):
            items = [params.get("Item") or params.get("Key") or {}]
        elif operation == "BatchWriteItem":
            unprocessed = parsed.get("UnprocessedItems", {}).get(TABLE, [])
            items = [w["PutRequest"]["Item"] for w in params.get("RequestItems", {}).get(TABLE, [])
                     if "PutRequest" in w and w not in unprocessed]
        if params.get("TableName", TABLE) != TABLE and operation != "BatchWriteItem":
            return
        for item in items:
            order_id = item.get("id", {}).get("S")
            if order_id is not None:
                self.run.stored.setdefault(order_id, self.clock.now())

    def _note_set_aside(self, operation: str, params: dict, parsed: dict) -> None:
        """Remember each order the consumer set aside in the failure queue, and why."""
        if operation not in ("SendMessage", "SendMessageBatch"):
            return
        bodies = [params.get("MessageBody")] if operation == "SendMessage" else [
            entry.get("MessageBody") for entry in params.get("Entries", [])]
        if params.get("QueueUrl") == self.aws.queue_urls[FAILURE_QUEUE]:
            self.failure_queue_sends.extend([self.clock.now()] * len(bodies))
        for body in bodies:
            self._note_failed(body, "set aside by the consumer")

    def _note_failed(self, body: str | None, reason: str) -> None:
        for order_id in _order_ids_in(body or "", self.run.orders):
            self.run.failed.setdefault(order_id, reason)
            self.run.failed_s.setdefault(order_id, self.clock.now())

    # -- clients and the door --------------------------------------------------------------

    def period(self, time_s: float) -> int:
        return int(time_s // PERIOD_S)

    def count(self, metric: str, amount: int = 1, time_s: float | None = None) -> None:
        self.counts[self.period(self.clock.now() if time_s is None else time_s), metric] += amount

    def start_clients(self) -> None:
        """New orders arrive as a Poisson process, faster during a surge."""
        time_s, number = 0.0, 0
        while True:
            rate = ORDERS_PER_S * max(self.schedule.surge_factor(time_s), 1.0)
            time_s += self.client_rng.expovariate(rate)
            if time_s >= TRAFFIC_S:
                return
            number += 1
            order = self._new_order(number, time_s)
            self.timeline.at(time_s, functools.partial(self.send, order, 1))

    def _new_order(self, number: int, time_s: float) -> dict:
        order_id = f"o-{number:05d}"
        poisoned = any(self.client_rng.random() < fault.rate
                       for fault in self.schedule.active("poison", time_s))
        order = {"order_id": order_id, "customer": f"c-{self.client_rng.randrange(100):02d}",
                 "amount_cents": POISON_AMOUNT if poisoned else
                 self.client_rng.randrange(500, 20_000)}
        self.run.orders[order_id] = order
        return order

    def send(self, order: dict, attempt_number: int) -> None:
        """A client sends (or sends again) an order and waits for the answer."""
        self.timeline.idle()  # nothing the consumer's poller need wake for
        now_s = self.clock.now()
        attempt = Attempt(Request(order["order_id"], attempt_number, now_s,
                                  now_s + CLIENT_TIMEOUT_S))
        self.run.attempts.append(attempt)
        self.count("offered")
        door = Door(now_s, len(self.queue), DOOR_CAPACITY_PER_S,
                    now_s - self.queue[0].request.sent_s if self.queue else 0.0)
        if self._call_part("admit", self.parts.admit, attempt.request, door) is True:
            self.queue.append(attempt)
            self.serve_next()
        else:
            self.answer(attempt, "refused")
        self.timeline.at(attempt.request.deadline_s, lambda: self.give_up(attempt, order))

    def give_up(self, attempt: Attempt, order: dict) -> None:
        """The client's timeout: no answer yet, so it stops waiting."""
        self.timeline.idle()
        if attempt.outcome == "waiting":
            attempt.outcome, attempt.answered_s = "unanswered", self.clock.now()
            self.count("unanswered", time_s=attempt.request.sent_s)
        if attempt.outcome != "acked" and attempt.request.attempt < CLIENT_ATTEMPTS:
            pause_s = CLIENT_PAUSE_S * self.client_rng.uniform(0.5, 1.5)
            self.timeline.after(pause_s, lambda: self.send(order, attempt.request.attempt + 1))

    def answer(self, attempt: Attempt, outcome: str) -> None:
        """Answer a request, if its client still waits."""
        if outcome == "acked":
            self.run.acked_s.setdefault(attempt.request.order_id, self.clock.now())
        if attempt.outcome != "waiting":
            return
        attempt.outcome, attempt.answered_s = outcome, self.clock.now()
        self.count(outcome, time_s=attempt.request.sent_s)

    def serve_next(self) -> None:
        """The door serves its queue in order, one request at a time."""
        if not self.queue or self.door_busy_until_s > self.clock.now():
            return
        attempt = self.queue.pop(0)
        self.door_busy_until_s = self.clock.now() + 1 / DOOR_CAPACITY_PER_S
        self.timeline.at(self.door_busy_until_s, lambda: self.served_one(attempt))

    def served_one(self, attempt: Attempt) -> None:
        self.timeline.idle()
        self.served.append(attempt)
        self.serve_next()

    # -- the producer ----------------------------------------------------------------------

    def tick(self) -> None:
        """Every ``FLUSH_INTERVAL_S`` the producer writes what the door served, or, if it is
        still busy with its last write, as soon as that ends."""
        self.timeline.idle()
        if self.clock.now() < TRAFFIC_S + DRAIN_S:
            self.timeline.after(FLUSH_INTERVAL_S, self.tick)
        self.timeline.at(max(self.clock.now(), self.producer_free_s), self.flush)

    def flush(self) -> None:
        """The producer writes what the door served, and the door answers its clients."""
        if not self.served or self.producer_free_s > self.clock.now():
            self.timeline.idle()
            return
        batch, self.served = self.served, []
        orders = list({a.request.order_id: self.run.orders[a.request.order_id]
                       for a in batch}.values())
        started_s = self.clock.now()
        failed_before = sum(c.failed for c in self.put_injector.calls)
        calls_before = len(self.put_injector.calls)
        written = self._call_part("send_orders", self.parts.send_orders, self.kinesis, STREAM,
                                  [dict(order) for order in orders], clock=self.clock,
                                  rng=self.schedule.rng(f"producer:{started_s:g}"),
                                  budget=self.budget,
                                  deadline_s=started_s + PRODUCER_DEADLINE_S)
        new_calls = self.put_injector.calls[calls_before:]
        self.count("put_failures", sum(c.failed for c in self.put_injector.calls) - failed_before
                   + sum(c.outcome != "ok" and c.outcome != "partial" for c in new_calls))
        ended_s = self.clock.now()
        self.clock.rewind_to(started_s)
        self.producer_free_s = ended_s
        ids = set(written) if isinstance(written, (list, tuple, set)) else set()
        self.timeline.at(ended_s, lambda: self._acknowledge(batch, ids))

    def _acknowledge(self, batch: list[Attempt], written: set) -> None:
        self.timeline.idle()
        for attempt in batch:
            self.answer(attempt, "acked" if attempt.request.order_id in written else "refused")

    def _call_part(self, name: str, part: Callable, *args, **kwargs):
        """Call one of the learner's parts; an error it raises is noted, not fatal (but
        for the grader's own: a part that ran out of time, or a process that ended)."""
        try:
            return part(*args, **kwargs)
        except Exception as exc:  # noqa: BLE001 - a part's error is part of the run's story
            stop_on_grader_errors(exc)
            self.run.errors.append(f"{name} raised {type(exc).__name__}: {exc}")
            return None

    # -- the consumer ----------------------------------------------------------------------

    def start_consumer(self) -> KinesisEventSourceMapping:
        """The consumer's mapping, with the learner's parameters and handler; the schedule's
        crashes and duplicate deliveries happen around the handler."""
        handler = self.parts.make_handler(
            payments=self.payments, dynamodb=self.dynamodb, sqs=self.sqs, table=TABLE,
            failure_queue_url=self.aws.queue_urls[FAILURE_QUEUE])
        config = dict(self.parts.mapping_config(self.aws.stream_arn(STREAM),
                                                self.aws.queue_arn(FAILURE_QUEUE)))
        config.update(EventSourceArn=self.aws.stream_arn(STREAM))
        config.setdefault("StartingPosition", "TRIM_HORIZON")
        rng = self.schedule.rng("consumer")

        def function(event: dict, context) -> object:
            self.invocation_deadline_s = context.deadline_s
            try:
                for _ in range(2 if self._strikes("duplicate", rng) else 1):
                    response = handler(event, context)
            except Exception as exc:
                stop_on_grader_errors(exc)
                raise
            except FunctionTimedOut:
                self.clock.advance(max(0.0, self.invocation_deadline_s - self.clock.now()))
                raise RuntimeError("Task timed out") from None
            finally:
                self.invocation_deadline_s = math.inf
            if self._strikes("crash", rng):
                raise RuntimeError("Runtime exited with error: signal: killed")
            return response

        mapping = KinesisEventSourceMapping(
            self.aws, STREAM, Function(function, timeout_s=FUNCTION_TIMEOUT_S, duration_s=0.0),
            config, timeline=self.timeline)
        if mapping.destination_client is not None:
            _after_success(mapping.destination_client, self._note_discarded)
        return mapping

    def _note_discarded(self, operation: str, params: dict, parsed: dict) -> None:
        """The mapping sent its record of a discarded batch to the failure destination."""
        if operation != "SendMessage":
            return
        self.discards.append((self.clock.now(), params.get("MessageBody", "")))
        if params.get("QueueUrl") == self.aws.queue_urls[FAILURE_QUEUE]:
            self.failure_queue_sends.append(self.clock.now())

    def _strikes(self, kind: str, rng) -> bool:
        return any(rng.random() < fault.rate for fault in self.schedule.active(
            kind, self.clock.now()))


def _after_success(client, note: Callable[[str, dict, dict], None]) -> None:
    """Call ``note(operation, params, parsed response)`` after each call of ``client`` that
    succeeds (botocore's after-call event does not carry the parameters: they are kept in
    the call's context before the request is built)."""

    def keep(params, context, **_) -> None:
        context["pipeline_params"] = params

    def after(http_response, parsed, model, context, **_) -> None:
        if http_response.status_code == 200 and "pipeline_params" in context:
            note(model.name, context["pipeline_params"], parsed)

    client.meta.events.register("before-parameter-build", keep)
    client.meta.events.register("after-call", after)


def _order_ids_in(body: str, orders: dict) -> list[str]:
    """The order ids a failure-queue message names (a set-aside order, say)."""
    return [order_id for order_id in orders if order_id in body]


QUIET = chaos.Schedule()  # no faults, seed 0


def run_pipeline(parts: Parts, schedule: chaos.Schedule = QUIET) -> Run:
    """Run ``parts`` for ``TRAFFIC_S`` seconds of orders and ``DRAIN_S`` more, under
    ``schedule``; the same parts and schedule give the same run."""
    try:
        return _run(parts, schedule)
    except Stopped as stopped:
        raise stopped.error from None


def _run(parts: Parts, schedule: chaos.Schedule) -> Run:
    clock = SimClock()
    with aws_sandbox(tables=[TABLE], streams=[STREAM], queues=[FAILURE_QUEUE],
                     clock=clock) as aws:
        world = _World(parts, schedule, aws, clock)
        mapping = world.start_consumer()
        world.start_clients()
        world.timeline.at(FLUSH_INTERVAL_S, world.tick)
        world.timeline.run(until_s=TRAFFIC_S + DRAIN_S)
        _settle(world, mapping)
    return world.run


def _settle(world: _World, mapping: KinesisEventSourceMapping) -> None:
    """What the run left: the stream's first write of each order, what the failure queue
    holds, charges, metrics per period and the alarms they raise."""
    run = world.run
    for order_id, charge_count in world.payments.gateway.times_charged().items():
        run.charges[order_id] = charge_count
    _note_written(world)
    for time_s, body in world.discards:
        _note_discarded(world, time_s, body)
    run.iterator_age = list(mapping.metrics.iterator_age)
    run.periods = _periods(world, mapping)
    for period in run.periods:
        fired = world._call_part("alarms", world.parts.alarms, period)
        for name in fired if isinstance(fired, (list, tuple, set, frozenset)) else ():
            run.alarms.append((period.start_s + period.length_s, str(name)))


def _note_written(world: _World) -> None:
    """When each order first reached the stream, read back from it."""
    kinesis = world.aws.own_client("kinesis")
    for shard in kinesis.list_shards(StreamName=STREAM)["Shards"]:
        iterator = kinesis.get_shard_iterator(StreamName=STREAM, ShardId=shard["ShardId"],
                                              ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        while iterator:
            page = kinesis.get_records(ShardIterator=iterator, Limit=10_000)
            for record in page["Records"]:
                order_id = _order_id_of(record["Data"])
                world.sequence_owner[record["SequenceNumber"]] = order_id
                if order_id is not None:
                    world.run.written_s.setdefault(
                        order_id, sim_s(record["ApproximateArrivalTimestamp"].timestamp()))
            iterator = page.get("NextShardIterator") if page["Records"] else None


def _order_id_of(data: bytes) -> str | None:
    try:
        order = json.loads(data)
    except ValueError:
        return None
    return order.get("order_id") if isinstance(order, dict) else None


def _note_discarded(world: _World, time_s: float, body: str) -> None:
    """The mapping's record of a discarded batch names the orders by their sequence
    numbers."""
    try:
        document = json.loads(body)
    except ValueError:
        return
    info = document.get("KinesisBatchInfo") if isinstance(document, dict) else None
    if info is None:
        return
    first, last = int(info["startSequenceNumber"]), int(info["endSequenceNumber"])
    condition = document["requestContext"]["condition"]
    for number, order_id in world.sequence_owner.items():
        if order_id is not None and first <= int(number) <= last:
            world.run.failed.setdefault(order_id, f"discarded by the mapping ({condition})")
            world.run.failed_s.setdefault(order_id, time_s)


def _periods(world: _World, mapping: KinesisEventSourceMapping) -> list[Period]:
    """Each period's metrics, as a dashboard would show them."""
    ages: dict[int, float] = {}
    for time_s, age_s in mapping.metrics.iterator_age:
        ages[world.period(time_s)] = max(ages.get(world.period(time_s), 0.0), max(age_s, 0.0))
    errors = Counter(world.period(t) for t, kind, _ in mapping.metrics.events if kind == "error")
    payment_errors = Counter(world.period(t) for t in world.payments.errors)
    sends = sorted(world.failure_queue_sends)
    periods = []
    for index in range(int((TRAFFIC_S + DRAIN_S) // PERIOD_S)):
        end_s = (index + 1) * PERIOD_S
        periods.append(Period(
            index * PERIOD_S, PERIOD_S, world.counts[index, "offered"],
            world.counts[index, "acked"], world.counts[index, "refused"],
            world.counts[index, "unanswered"], round(ages.get(index, 0.0), 3),
            bisect.bisect_left(sends, end_s), world.counts[index, "put_failures"],
            errors[index], payment_errors[index]))
    return periods

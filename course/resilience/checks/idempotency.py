"""Checks for lab 08: a charge that happens exactly once over at-least-once delivery.

The learner's code charges orders with the course's ``PaymentGateway``, which counts every
call and every charge, and keeps its idempotency records in a moto DynamoDB table. The
checks deliver orders the way SQS and Lambda do (records in Lambda's shape, from a moto
queue), then replay them: as a producer's retry, as a redelivery, concurrently with the
first delivery, after a crash in the middle, and days later from a dead-letter queue.

A crash is a ``Crash`` raised from inside a call the learner's code makes. It derives from
``BaseException``, as a dying process leaves no ``except Exception`` a chance to run; in the
grader the learner's process simply never gets an answer to that call.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass

from botocore.client import BaseClient

from resilience.aws.facts import SECONDS_PER_DAY, SQS_VISIBILITY_PER_FUNCTION_TIMEOUT
from resilience.aws.motoclock import unix_time
from resilience.checks import expect, stop_runaway
from resilience.clock import SimClock
from resilience.eventsources import Function, SqsEventSourceMapping, sqs_event_record
from resilience.idempotency import (
    FUNCTION_TIMEOUT_S,
    IDEMPOTENCY_TABLE,
    Crash,
    PaymentGateway,
)
from resilience.sandbox import TABLE_KEY, Sandbox, aws_sandbox

QUEUE = "orders"
AMOUNT_CENTS = 1999
REDRIVE_AFTER_S = 10 * SECONDS_PER_DAY  # within SQS's 14-day retention, past any API's window
END_TO_END_ORDERS = 30
END_TO_END_RUN_S = 3600
VISIBILITY_TIMEOUT_S = SQS_VISIBILITY_PER_FUNCTION_TIMEOUT * FUNCTION_TIMEOUT_S


def _crash() -> None:
    raise Crash("the invocation crashed")


@dataclass
class World:
    """One test's world: moto, a simulated clock, the payment API and the orders queue."""

    aws: Sandbox
    clock: SimClock
    dynamodb: BaseClient
    gateway: PaymentGateway
    now: Callable[[], float]

    def deliver(self, order_id: str, **extra) -> dict:
        """A new message for this order, as Lambda hands it over (a fresh messageId: what
        a producer's retry makes too)."""
        sqs = self.aws.client("sqs")
        url = self.aws.queue_urls[QUEUE]
        body = {"order_id": order_id, "amount_cents": AMOUNT_CENTS,
                "sent_at": round(self.now(), 3), **extra}
        sqs.send_message(QueueUrl=url, MessageBody=json.dumps(body))
        message = sqs.receive_message(QueueUrl=url, MessageSystemAttributeNames=["All"],
                                      VisibilityTimeout=0)["Messages"][0]
        sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
        return sqs_event_record(message, self.aws.queue_arn(QUEUE))

    def charge(self, charge_once, record: dict):
        """The learner's ``charge_once`` on this record, in this world."""
        return charge_once(record, self.dynamodb, self.gateway, self.now)

    def attempt(self, charge_once, record: dict) -> BaseException | None:
        """What the learner's ``charge_once`` raised on this record (a crash included), or
        None if it returned."""
        return _raises(lambda: self.charge(charge_once, record))

    def charges(self, order_id: str) -> int:
        return self.gateway.times_charged()[order_id]

    def records_in_table(self) -> list[dict]:
        return self.dynamodb.scan(TableName=IDEMPOTENCY_TABLE)["Items"]


@contextmanager
def _world():
    clock = SimClock()
    with aws_sandbox(tables=[IDEMPOTENCY_TABLE], queues=[QUEUE], clock=clock) as aws:
        dynamodb = aws.client("dynamodb")
        stop_runaway(dynamodb, "DynamoDB")
        now = unix_time(clock)
        yield World(aws, clock, dynamodb, PaymentGateway(now), now)


def _raises(call: Callable[[], object]) -> BaseException | None:
    """The exception ``call`` raised (a crash included), or None if it returned."""
    try:
        call()
    except BaseException as error:  # noqa: BLE001 - a crash is an outcome to check
        if isinstance(error, (KeyboardInterrupt, SystemExit)):
            raise
        return error
    return None


def _expect_crashed(error: BaseException | None) -> None:
    expect(isinstance(error, Crash),
           "The test crashed your invocation in the middle of a call, but your code went on "
           f"({'it raised ' + type(error).__name__ if error else 'it returned'}). Do not "
           "catch BaseException or use a bare except: a real crash cannot be caught.")


# -- 1. the key -------------------------------------------------------------------------------


def check_key_names_the_order(idempotency_key) -> None:
    with _world() as world:
        first = world.deliver("o-1")
        world.clock.advance(1.5)
        retry = world.deliver("o-1")
        other = world.deliver("o-2")
        key = idempotency_key(first)
        expect(isinstance(key, str) and key != "",
               f"idempotency_key should return a non-empty string; it returned {key!r}.")
        expect(key != first["messageId"] or idempotency_key(retry) == key,
               "Your key is the messageId. A producer that retries after a timeout sends a "
               "new message, with a new messageId, for the same order: the key must name "
               "the order, so that both copies get the same key.")
        expect(idempotency_key(retry) == key,
               "Two messages for the same order (a producer's retry: a new messageId and a "
               f"later sent_at) got different keys, {key!r} and {idempotency_key(retry)!r}. "
               "Build the key from what names the request, the order_id, not from the "
               "whole body or the message.")
        expect(idempotency_key(other) != key,
               f"Orders o-1 and o-2 got the same key {key!r}: one of them would never be "
               "charged.")


def check_key_is_stable(idempotency_key) -> None:
    with _world() as world:
        record = world.deliver("o-7")
        reordered = dict(record, body=json.dumps(
            {"sent_at": 12.5, "amount_cents": AMOUNT_CENTS, "order_id": "o-7"}, indent=1))
        expect(idempotency_key(reordered) == idempotency_key(record),
               "The same order, with its fields in another order and other whitespace, got "
               "another key. Parse the body and use the order_id, not the body's text.")
        expect(idempotency_key(world.deliver("o-77")) != idempotency_key(record),
               "Orders o-7 and o-77 got the same key.")


# -- 2. the claim -----------------------------------------------------------------------------


def check_claim_is_conditional(claim) -> None:
    with _world() as world:
        now_s = world.now()
        expect(claim(world.dynamodb, "order-o-1", now_s) is None,
               "The first claim of a key should succeed and return None.")
        second = claim(world.dynamodb, "order-o-1", now_s + 1)
        expect(second is not None,
               "A second claim of the same key, one second later, returned None: two "
               "concurrent deliveries would both charge. Put the record with a "
               "ConditionExpression such as attribute_not_exists(id), so that DynamoDB "
               "lets only one of them win, and return the record that stopped the other.")
        expect(claim(world.dynamodb, "order-o-2", now_s + 1) is None,
               "A claim of another key failed: each key has its own record.")
        keys = sorted(item[TABLE_KEY]["S"] for item in world.records_in_table())
        expect(keys == ["order-o-1", "order-o-2"],
               f"The table should hold one record per key claimed; it holds {keys}. Write "
               f"to {IDEMPOTENCY_TABLE!r}, with the key in the {TABLE_KEY!r} attribute.")


def check_claim_expires_with_the_lease(claim) -> None:
    with _world() as world:
        started_s = world.now()
        expect(claim(world.dynamodb, "order-o-1", started_s) is None,
               "The first claim of a key should succeed and return None.")
        expect(claim(world.dynamodb, "order-o-1", started_s + FUNCTION_TIMEOUT_S - 2)
               is not None,
               f"A claim {FUNCTION_TIMEOUT_S - 2} s after the first succeeded, while the "
               "first invocation may still be running: its lease must last the function's "
               f"timeout, FUNCTION_TIMEOUT_S = {FUNCTION_TIMEOUT_S} s.")
        expect(claim(world.dynamodb, "order-o-1", started_s + FUNCTION_TIMEOUT_S + 2) is None,
               f"{FUNCTION_TIMEOUT_S + 2} s after a claim, past the function's timeout, the "
               "key could not be claimed again. If that invocation crashed, its order would "
               "never be charged. Give the in-progress record an expiry (now + "
               "FUNCTION_TIMEOUT_S) and let the condition accept an expired record: "
               "attribute_not_exists(id) OR expires_at < :now. DynamoDB's TTL is no help "
               "here: it deletes expired items only within about two days.")


# -- 3. charging once -------------------------------------------------------------------------


def check_duplicates_get_the_stored_response(charge_once) -> None:
    with _world() as world:
        record = world.deliver("o-1")
        responses = []
        for _ in range(3):
            responses.append(world.charge(charge_once, record))
            world.clock.advance(60)
        expect(world.charges("o-1") == 1,
               f"One order delivered three times was charged {world.charges('o-1')} times. "
               "Claim the order's key before charging; a duplicate must find the record.")
        expect(responses[0] == responses[1] == responses[2],
               "The three deliveries got different responses: "
               f"{responses}. A duplicate must get the response stored when the order "
               "was charged.")
        expect(world.gateway.calls == 1,
               f"The payment API was called {world.gateway.calls} times for one order. A "
               "duplicate of a completed order must be answered from the store, without "
               "calling the payment API again.")


def check_producer_retries_charge_once(charge_once) -> None:
    with _world() as world:
        first = world.charge(charge_once, world.deliver("o-1"))
        world.clock.advance(2)
        retry = world.charge(charge_once, world.deliver("o-1"))
        expect(world.charges("o-1") == 1,
               "A producer's retry (a second message, new messageId, same order) charged the "
               "order again. Key the record by the order, not by the message.")
        expect(retry == first, "The producer's retry got another response than the first "
                               f"delivery: {retry} instead of {first}.")


def check_concurrent_duplicate_waits(charge_once) -> None:
    with _world() as world:
        record = world.deliver("o-1")
        outcome: dict = {}

        def duplicate_arrives() -> None:
            try:
                outcome["returned"] = world.charge(charge_once, record)
            except Exception as error:  # noqa: BLE001 - raising is the right answer here
                outcome["raised"] = error

        world.gateway.during_next(duplicate_arrives)
        first = world.charge(charge_once, record)
        expect(world.gateway.calls == 1,
               "A duplicate that arrived while the first delivery was still charging called "
               "the payment API too. It must find the first one's claim and stop.")
        expect("raised" in outcome,
               "A duplicate that arrived while the first delivery was still charging "
               f"returned {outcome.get('returned')!r}. It must raise instead, so that its "
               "message comes back later: reporting success would delete it, and if the "
               "first invocation then crashed, nobody would charge the order.")
        world.clock.advance(60)
        later = world.charge(charge_once, record)
        expect(later == first and world.charges("o-1") == 1,
               "Once the first delivery completed, the duplicate's retry should get the same "
               f"response ({first}); it got {later}, with {world.charges('o-1')} charge(s).")


def check_claim_is_one_conditional_write(charge_once) -> None:
    with _world() as world:
        record = world.deliver("o-1")
        armed = [True]

        def duplicate_between_calls(**_) -> None:
            if armed and armed.pop():
                world.attempt(charge_once, record)

        world.dynamodb.meta.events.register("after-call.dynamodb", duplicate_between_calls)
        world.attempt(charge_once, record)
        expect(world.gateway.calls == 1,
               "A duplicate ran between your first DynamoDB call and the next, and both "
               f"deliveries called the payment API ({world.gateway.calls} calls). Reading "
               "the record and then writing it is a race: make the claim one conditional "
               "write, which DynamoDB applies atomically.")


def check_failed_charge_releases_its_claim(charge_once) -> None:
    with _world() as world:
        record = world.deliver("o-1")
        world.gateway.fail_next()
        error = world.attempt(charge_once, record)
        expect(isinstance(error, Exception),
               "The payment API failed (ConnectionError, nothing charged) and charge_once "
               f"{'returned' if error is None else 'ended with ' + type(error).__name__}. "
               "It should raise, so that the message is retried.")
        world.clock.advance(1)
        retry_error = world.attempt(charge_once, record)
        expect(retry_error is None and world.charges("o-1") == 1,
               "After a payment call that failed without charging, a retry one second later "
               f"{'raised ' + repr(retry_error) if retry_error else 'returned'} and the "
               f"order was charged {world.charges('o-1')} time(s). When the work fails, "
               "release the claim (delete the in-progress record), so a retry can charge "
               "at once; never mark the order completed before it is charged.")


def check_crash_mid_way_charges_once(charge_once) -> None:
    with _world() as world:
        record = world.deliver("o-1")
        world.gateway.during_next(_crash)
        _expect_crashed(world.attempt(charge_once, record))
        world.clock.advance(FUNCTION_TIMEOUT_S + 2)
        retry_error = world.attempt(charge_once, record)
        expect(retry_error is None,
               "An invocation crashed after the payment API charged and before it recorded "
               f"anything. The retry, {FUNCTION_TIMEOUT_S + 2} s later, raised "
               f"{retry_error!r}: the crashed invocation's claim must have expired by then.")
        expect(world.charges("o-1") == 1,
               "An invocation crashed after the payment API charged and before it recorded "
               f"the charge; the retry charged again ({world.charges('o-1')} charges). Your "
               "store cannot know about that charge: pass the idempotency key to the payment "
               "API (gateway.charge(..., idempotency_key=key)), so it recognises the retry.")
        record_two = world.deliver("o-2")
        world.gateway.time_out_next()
        world.attempt(charge_once, record_two)
        world.clock.advance(FUNCTION_TIMEOUT_S + 2)
        second = world.charge(charge_once, record_two)
        expect(world.charges("o-2") == 1,
               "The payment API timed out after it charged (a timeout does not cancel the "
               f"request), and the retry charged again ({world.charges('o-2')} charges). "
               "Pass the idempotency key to the payment API.")
        receipt = {"charge_id": world.gateway.charges[-1].charge_id, "order_id": "o-2",
                   "amount_cents": AMOUNT_CENTS}
        expect(second == receipt, "After the timeout, the retry should return the receipt of "
                                  f"the one charge, {receipt}; it returned {second}.")


def check_late_redrive_is_remembered(charge_once) -> None:
    with _world() as world:
        record = world.deliver("o-1")
        first = world.charge(charge_once, record)
        world.clock.advance(REDRIVE_AFTER_S)
        later = world.charge(charge_once, record)
        days = REDRIVE_AFTER_S // SECONDS_PER_DAY
        expect(world.charges("o-1") == 1,
               f"The same message, redriven from the dead-letter queue {days} days later, "
               f"charged the order again. SQS keeps messages up to 14 days: keep completed "
               "records at least that long (the payment API forgets keys after 24 hours).")
        expect(later == first, f"The redriven message got {later} instead of {first}.")


# -- 4. the handler ---------------------------------------------------------------------------


def check_handler_reports_failures(make_handler) -> None:
    with _world() as world:
        records = [world.deliver(order) for order in ("o-1", "o-2", "o-3")]
        world.gateway.fail_next(calls=1, after=1)
        handler = make_handler(world.dynamodb, world.gateway, world.now)
        response = handler({"Records": records}, None)
        expected = {"batchItemFailures": [{"itemIdentifier": records[1]["messageId"]}]}
        expect(response == expected,
               f"The payment API failed for the second order only. The handler should "
               f"return {expected}; it returned {response}.")
        charged = {order: world.charges(order) for order in ("o-1", "o-2", "o-3")}
        expect(charged == {"o-1": 1, "o-2": 0, "o-3": 1},
               f"Orders o-1 and o-3 should be charged once, o-2 not at all: {charged}.")


def check_end_to_end_exactly_once(make_handler) -> None:
    with _world() as world:
        sqs = world.aws.client("sqs")
        url = world.aws.queue_urls[QUEUE]
        sqs.set_queue_attributes(QueueUrl=url, Attributes={
            "VisibilityTimeout": str(VISIBILITY_TIMEOUT_S)})
        for number in range(END_TO_END_ORDERS):
            copies = 2 if number % 6 == 0 else 1  # every sixth order: a producer's retry
            for copy in range(copies):
                sqs.send_message(QueueUrl=url, MessageBody=json.dumps(
                    {"order_id": f"o-{number}", "amount_cents": AMOUNT_CENTS,
                     "sent_at": number + copy}))
        world.gateway.time_out_next(calls=1, after=3)
        world.gateway.fail_next(calls=1, after=9)
        world.gateway.during_call(15, _crash)
        learner_handler = make_handler(world.dynamodb, world.gateway, world.now)

        def handler(event, context):
            try:
                return learner_handler(event, context)
            except Crash:
                raise RuntimeError("Runtime exited: the invocation crashed") from None

        mapping = SqsEventSourceMapping(
            world.aws, QUEUE, Function(handler, timeout_s=FUNCTION_TIMEOUT_S),
            {"BatchSize": 5, "FunctionResponseTypes": ["ReportBatchItemFailures"]})
        metrics = mapping.run(until_s=END_TO_END_RUN_S)
        charged = world.gateway.times_charged()
        never = [f"o-{n}" for n in range(END_TO_END_ORDERS) if charged[f"o-{n}"] == 0]
        twice = sorted(order for order, times in charged.items() if times > 1)
        expect(not twice,
               f"Run by the SQS emulator with producer retries, a payment timeout, a failed "
               f"payment and a crash, orders {twice} were charged more than once.")
        expect(not never,
               f"Orders {never} were never charged: their messages were deleted (reported "
               "as success) without a charge. Report every message that did not complete.")
        attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=[
            "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"])
        left = sum(int(count) for count in attributes["Attributes"].values())
        expect(left == 0,
               f"{left} message(s) were still in the queue after an hour "
               f"({metrics.invocations} invocations), failing every time they came back: "
               "orders nobody can charge. Look for a claim that never ends: a crashed "
               "invocation's claim must expire FUNCTION_TIMEOUT_S after it was made.")

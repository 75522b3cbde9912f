"""Checks for lab 06: a consumer that serves fresh work first and accounts for every message.

The consumer works over three moto SQS queues (main, low priority, audit) in simulated
time: SQS stamps ``SentTimestamp`` by the test's clock, and the test's ``process`` takes
0.5 s of it per message, so the consumer can serve 2 messages a second. A producer sends
1 a second, with a surge to 6 a second for a minute. Every message carries its number in
its body, so the checks can follow each one to its fate: processed, expired to the audit
queue, or still waiting.
"""

from __future__ import annotations

import json
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field

from botocore.client import BaseClient

from resilience.aws.facts import SQS_DEFAULT_VISIBILITY_TIMEOUT_S
from resilience.aws.motoclock import SIM_EPOCH_S, epoch_s
from resilience.checks import expect, stop_runaway
from resilience.clock import SimClock
from resilience.faults import FaultInjector
from resilience.sandbox import Sandbox, aws_sandbox

MAIN, LOW, AUDIT = "orders", "orders-low", "orders-audit"
FRESH_S = 30  # a message older than this is not worth serving before fresh ones
EXPIRE_S = 120  # a message older than this is stale: to the audit queue
SERVICE_S = 0.5  # the test's process: 2 messages a second
IDLE_STEP_S = 0.5  # how long the driver waits when the consumer found nothing
PASS_S = 0.05  # what one pass of the consumer costs besides processing (its SQS calls)
BASE_PER_S, SURGE_PER_S = 1, 6
SURGE_START_S, SURGE_END_S = 30, 90
SURGE_RUN_S = 360
FRESH_SHARE = 0.85  # of the messages sent after the surge, served fresh
RECOVERY_S = 30  # new work must be served fresh within this long of the surge's end
RUNAWAY_CALLS = 20_000
MOVE_THROTTLE_RATE = 0.5  # of the consumer's sends: 1 in 8 fails after botocore's 3 tries


@dataclass
class World:
    """One test's queues, clock and business logic."""

    aws: Sandbox
    clock: SimClock
    sqs: BaseClient  # the consumer's client (faults go here)
    producer: BaseClient  # the test's own client, for sending and inspecting
    queues: dict
    processed: list[tuple[int, float]] = field(default_factory=list)  # (number, served at)
    sent_at: dict[int, float] = field(default_factory=dict)  # number -> simulated send time

    def now(self) -> float:
        """Unix seconds, as ``time.time()`` gives: what SentTimestamp is measured in."""
        return epoch_s(self.clock)

    def process(self, body: str) -> None:
        """The business logic: note the message and spend ``SERVICE_S`` on it."""
        self.processed.append((json.loads(body)["number"], self.clock.now()))
        self.clock.advance(SERVICE_S)

    def send(self, numbers: list[int], queue: str = MAIN) -> None:
        """Send these messages now, ten to a call."""
        for start in range(0, len(numbers), 10):
            chunk = numbers[start:start + 10]
            self.producer.send_message_batch(QueueUrl=self.aws.queue_urls[queue], Entries=[
                {"Id": str(n), "MessageBody": json.dumps({"number": n})} for n in chunk])
            for number in chunk:
                self.sent_at[number] = self.clock.now()

    def consume(self, consume_batch) -> int:
        """One pass of the learner's consumer; each pass costs ``PASS_S`` (its calls)."""
        handled = consume_batch(self.sqs, self.queues, self.process, self.now, FRESH_S,
                                EXPIRE_S)
        self.clock.advance(PASS_S)
        return handled

    def left_in(self, queue: str) -> list[dict]:
        """Every message still in a queue, in-flight ones included (the clock moves past
        their visibility timeout)."""
        self.clock.advance(SQS_DEFAULT_VISIBILITY_TIMEOUT_S + 1)
        url, found = self.aws.queue_urls[queue], list[dict]()
        while True:
            page = self.producer.receive_message(QueueUrl=url, MaxNumberOfMessages=10,
                                            MessageAttributeNames=["All"],
                                            VisibilityTimeout=600).get("Messages", [])
            if not page:
                return found
            found += page


@contextmanager
def _world():
    clock = SimClock()
    with aws_sandbox(queues=[MAIN, LOW, AUDIT], clock=clock) as aws:
        sqs = aws.client("sqs")
        stop_runaway(sqs, "SQS", max_calls=RUNAWAY_CALLS)
        yield World(aws, clock, sqs, aws.client("sqs"),
                    {"main": aws.queue_urls[MAIN], "low": aws.queue_urls[LOW],
                     "audit": aws.queue_urls[AUDIT]})


def _message(sent_s: float, original_s: float | None = None) -> dict:
    """A received SQS message, as ReceiveMessage returns it, sent at simulated ``sent_s``."""
    message = {"MessageId": "5fea7756-0ea4-451a-a703-a558b933f274", "ReceiptHandle": "AQEB",
               "Body": json.dumps({"number": 1}),
               "Attributes": {"SentTimestamp": str(int((SIM_EPOCH_S + sent_s) * 1000))}}
    if original_s is not None:
        message["MessageAttributes"] = {"OriginalSentTimestamp": {
            "DataType": "Number", "StringValue": str(int((SIM_EPOCH_S + original_s) * 1000))}}
    return message


def _throttle_moves(world: World, **when) -> FaultInjector:
    """Throttle the consumer's sends (single or batched), as SQS does past its limits."""
    faults = FaultInjector(world.sqs, world.clock)
    for operation in ("SendMessage", "SendMessageBatch"):
        faults.throttle(operation, **when)
    return faults


def _numbers(messages: list[dict]) -> list[int]:
    return [json.loads(m["Body"])["number"] for m in messages]


# -- 1. age and triage ------------------------------------------------------------------------


def check_message_age(message_age_s) -> None:
    now = SIM_EPOCH_S + 100.0
    got = message_age_s(_message(sent_s=40.0), now)
    expect(abs(got - 60.0) < 1e-6,
           f"A message SQS stamped 60 s ago should be 60 s old; message_age_s returned {got!r}. "
           "SentTimestamp is in milliseconds since the epoch (a string); now is in seconds.")
    got = message_age_s(_message(sent_s=95.0, original_s=10.0), now)
    expect(abs(got - 90.0) < 1e-6,
           "A message moved to this queue 5 s ago, but first sent 90 s ago, is 90 s old; "
           f"message_age_s returned {got!r}. SentTimestamp restarts when a message is sent "
           "again: read OriginalSentTimestamp when the message has one.")


def check_triage(triage) -> None:
    for age_s, expected in ((0, "serve"), (FRESH_S, "serve"), (FRESH_S + 1, "defer"),
                            (EXPIRE_S, "defer"), (EXPIRE_S + 1, "expire"), (10_000, "expire")):
        got = triage(age_s, FRESH_S, EXPIRE_S)
        expect(got == expected,
               f"triage({age_s}, fresh_s={FRESH_S}, expire_s={EXPIRE_S}) should be "
               f"{expected!r}; it returned {got!r}.")


# -- 2. one pass of the consumer --------------------------------------------------------------


def _audit_reasons(world: World) -> dict[int, str]:
    found = world.left_in(AUDIT)
    return {json.loads(m["Body"])["number"]:
            m.get("MessageAttributes", {}).get("Reason", {}).get("StringValue", "")
            for m in found}


def check_consume_routes_by_age(consume_batch) -> None:
    with _world() as world:
        world.send([1])  # will be 200 s old: expire
        world.clock.advance(150)
        world.send([2])  # 50 s old: defer
        world.clock.advance(45)
        world.send([3])  # 5 s old: serve
        world.clock.advance(5)
        handled = world.consume(consume_batch)
        expect(handled == 3, f"consume_batch should report 3 messages handled; it returned "
                             f"{handled!r}.")
        expect([n for n, _ in world.processed] == [3],
               "Of three messages 200 s, 50 s and 5 s old, only the 5-second-old one should "
               f"be processed now; processed: {[n for n, _ in world.processed]}.")
        low = world.left_in(LOW)
        expect(_numbers(low) == [2],
               "The 50-second-old message should be moved to the low-priority queue; it "
               f"holds {_numbers(low)}.")
        original = low[0].get("MessageAttributes", {}).get("OriginalSentTimestamp", {})
        expect(original.get("StringValue") == str(int((SIM_EPOCH_S + 150) * 1000)),
               "The moved message should carry its first SentTimestamp in a Number message "
               "attribute OriginalSentTimestamp (milliseconds, as SQS writes it); it carries "
               f"{original!r}. Without it, the message would look new in its new queue.")
        reasons = _audit_reasons(world)
        expect(list(reasons) == [1] and reasons[1].strip() != "",
               "The 200-second-old message should be in the audit queue with a Reason message "
               f"attribute saying why; the audit queue holds {reasons}.")
        left = world.left_in(MAIN)
        expect(not left, f"The main queue should be empty; it still holds {_numbers(left)}: "
                         "delete each message once it is served or moved.")


def check_low_priority_served_when_main_is_empty(consume_batch) -> None:
    with _world() as world:
        world.send([1, 2])
        world.clock.advance(60)  # 60 s old: deferred on the first pass
        world.consume(consume_batch)
        expect(not world.processed,
               "Two 60-second-old messages were processed at once: old messages wait while "
               "fresh ones might be waiting.")
        world.clock.advance(1)
        world.consume(consume_batch)
        served = sorted(n for n, _ in world.processed)
        expect(served == [1, 2],
               "With the main queue empty, the low-priority queue's messages should be served "
               f"(they are not stale yet); processed: {served}. A deferred message must not be "
               "deferred again: old work is late, but it gets done.")


def check_moved_messages_keep_their_age(consume_batch) -> None:
    with _world() as world:
        world.send([1])
        world.clock.advance(60)
        world.consume(consume_batch)  # 60 s old: moved to the low-priority queue
        world.clock.advance(90)  # 150 s old, but only 90 s in the low-priority queue
        world.consume(consume_batch)
        reasons = _audit_reasons(world)
        expect(1 in reasons and 1 not in [n for n, _ in world.processed],
               f"A message first sent 150 s ago, moved to the low-priority queue 90 s ago, is "
               f"past the {EXPIRE_S} s limit: it should be expired to the audit queue; "
               f"{'it was processed' if 1 not in reasons else 'it was not'}. Its age counts "
               "from its first send (OriginalSentTimestamp), not from its move.")


def check_failed_moves_lose_nothing(consume_batch) -> None:
    with _world() as world:
        world.send(list(range(1, 11)))
        world.clock.advance(60)  # all ten must move to the low-priority queue
        faults = _throttle_moves(world, first=9)  # 3 moves fail, after botocore's 3 tries
        error = None
        try:
            world.consume(consume_batch)
        except Exception as raised:  # noqa: BLE001 - a failure to move is reported below
            error = raised
        faults.clear()
        found = (_numbers(world.left_in(LOW)) + _numbers(world.left_in(MAIN))
                 + _numbers(world.left_in(AUDIT)) + [n for n, _ in world.processed])
        missing = sorted(set(range(1, 11)) - set(found))
        expect(not missing,
               f"SendMessage to the low-priority queue was throttled for 3 of 10 messages, "
               f"and messages {missing} are now nowhere: they were deleted before their copy "
               "was safely sent. Delete a message only after the send succeeded.")
        expect(error is None,
               f"A throttled move made consume_batch raise {error!r}. Leave that message in "
               "its queue (it comes back after its visibility timeout) and go on with the "
               "others.")


# -- 3. a surge, end to end -------------------------------------------------------------------


def _surge_schedule() -> list[tuple[float, int]]:
    """(send time, message number) for the surge scenario."""
    schedule, number = [], 0
    for second in range(SURGE_RUN_S - 60):
        rate = SURGE_PER_S if SURGE_START_S <= second < SURGE_END_S else BASE_PER_S
        for k in range(rate):
            number += 1
            schedule.append((second + k / rate, number))
    return schedule


def _run_surge(world: World, consume_batch, run_s: float = SURGE_RUN_S) -> None:
    """Send the surge's messages when they are due, and let the consumer work."""
    schedule, due = _surge_schedule(), 0
    while world.clock.now() < run_s:
        ready = []
        while due < len(schedule) and schedule[due][0] <= world.clock.now():
            ready.append(schedule[due][1])
            due += 1
        world.send(ready)
        if not world.consume(consume_batch):
            world.clock.advance(IDLE_STEP_S)


def check_surge_serves_fresh_work_first(consume_batch) -> None:
    with _world() as world:
        _run_surge(world, consume_batch)
        after = {n: t for n, t in world.processed if world.sent_at[n] >= SURGE_END_S}
        sent_after = [n for n, t in world.sent_at.items() if t >= SURGE_END_S]
        fresh = [n for n, t in after.items() if t - world.sent_at[n] <= FRESH_S]
        share = len(fresh) / len(sent_after)
        late = [world.sent_at[n] for n in sent_after if n not in fresh]
        recovery = (max(late) - SURGE_END_S) if late else 0.0
        expect(share >= FRESH_SHARE and recovery <= RECOVERY_S,
               f"After a minute-long surge (a backlog of about "
               f"{(SURGE_PER_S - 1 / SERVICE_S) * (SURGE_END_S - SURGE_START_S):.0f} "
               "messages), "
               f"{share:.0%} of the messages sent afterwards were served within {FRESH_S} s, "
               f"and new work was served late until {recovery:.0f} s after the surge (goals: "
               f"{FRESH_SHARE:.0%}, within {RECOVERY_S} s). Serving the backlog oldest-first "
               "makes every new message wait behind it: move old messages aside.")


def check_every_message_accounted_for(consume_batch) -> None:
    with _world() as world:
        faults = _throttle_moves(world, rate=MOVE_THROTTLE_RATE)
        _run_surge(world, consume_batch)
        faults.clear()
        processed = Counter(n for n, _ in world.processed)
        audited = Counter(_numbers(world.left_in(AUDIT)))
        waiting = Counter(_numbers(world.left_in(MAIN)) + _numbers(world.left_in(LOW)))
        fates = processed + audited + waiting
        lost = sorted(set(world.sent_at) - set(fates))
        twice = sorted(n for n, count in fates.items() if count > 1)
        expect(not lost,
               f"{len(lost)} of {len(world.sent_at)} messages vanished (e.g. {lost[:5]}): "
               "neither processed, nor in the audit queue, nor waiting. SQS throttled "
               "some moves: every message must still end somewhere you can find it.")
        expect(not twice,
               f"{len(twice)} messages had two fates (e.g. {twice[:5]}): processed twice, or "
               "both processed and moved. Delete each message once it is handled, and only "
               "then.")
        expect(audited, "Some messages should have expired to the audit queue in the surge.")

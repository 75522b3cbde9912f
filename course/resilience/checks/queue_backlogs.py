"""Checks for lab 06: a consumer that serves fresh work first and accounts for every message.

The consumer works over three moto SQS queues (main, low priority, audit) in simulated
time: SQS stamps ``SentTimestamp`` by the test's clock. Every message carries its number
in its body, so the checks can follow each one to its fate. The consumer's client records
every call it makes (``Timeline``), and the test's ``process`` records every call of it, so
a check sees, message by message, what one pass did and in which order: served, moved
(its copy sent, and whether the send succeeded), deleted. The contract fixes what happens
to each message (the instructions state the rule); it leaves free whether sends and
deletes go one at a time or in batches, and in which order the messages are handled.

Hidden scenarios vary with the submission (``varied``): thresholds, ages, how many
messages, which errors SQS answers a send with, and the surge's size, so that code fitted
to the visible tests' numbers does not pass.
"""

from __future__ import annotations

import json
import random
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import count

from botocore.client import BaseClient
from hypothesis import strategies as st

from resilience.aws.facts import (
    SQS_BATCH_MAX_ENTRIES,
    SQS_DEFAULT_VISIBILITY_TIMEOUT_S,
    SQS_MAX_VISIBILITY_TIMEOUT_S,
)
from resilience.aws.motoclock import SIM_EPOCH_S, epoch_s
from resilience.checks import expect, stop_runaway, varied
from resilience.checks.properties import (
    PERMANENT_CODES,
    for_all,
    throttling_codes,
)
from resilience.checks.requirements import Requirement
from resilience.clock import SimClock
from resilience.faults import FaultInjector
from resilience.sandbox import aws_sandbox

LAB = "06-queue-backlogs"

AGE, TRIAGE = "test_message_age", "test_triage"
ROUTES, LOW_QUEUE = "test_consume_routes_by_age", "test_low_priority_served_when_main_is_empty"
MOVED, FAILED, SURGE = ("test_moved_messages_keep_their_age", "test_failed_moves_lose_nothing",
                        "test_surge")

REQUIREMENTS = (
    Requirement("1.1", "it returns the seconds since the message was **first** sent, to the "
                "millisecond", (AGE,)),
    Requirement("1.2", "a message that carries `OriginalSentTimestamp` was first sent then, "
                "whatever its `SentTimestamp` says", (AGE, MOVED)),
    Requirement("2.1", '`"serve"` for a message no older than `fresh_s`', (TRIAGE,)),
    Requirement("2.2", '`"defer"` for one older than that, but no older than `expire_s`',
                (TRIAGE,)),
    Requirement("2.3", '`"expire"` for one older than `expire_s`', (TRIAGE,)),
    Requirement("3.1", "Receive up to 10 messages from the **main** queue: ask for 10, the "
                "most one call returns", (ROUTES, LOW_QUEUE),
                leaves_open="How SentTimestamp is asked for (MessageSystemAttributeNames or "
                "the older AttributeNames, by name or All): only that it arrives is checked."),
    Requirement("3.2", "If it has none, receive up to 10 from the **low** queue instead; never "
                "from the low queue while the main queue has messages. If both are empty, "
                "return `0`.", (ROUTES, LOW_QUEUE, MOVED, FAILED),
                leaves_open="The pass may look at queue depths first: only which queue it "
                "receives from, and what it returns, is checked. \"None\" is what main's "
                "receive returns: a message another consumer holds in flight cannot be "
                "received, and does not keep the low queue waiting."),
    Requirement("3.3", '**serve**: call `process(message["Body"])`, once.',
                (ROUTES, LOW_QUEUE, MOVED)),
    Requirement("3.4", "A message from the low queue is served even if it is older than "
                "`fresh_s`: it has waited its turn. Only expiry applies there.",
                (LOW_QUEUE, MOVED)),
    Requirement("3.5", "**defer**: send a copy (the same body) to the low queue, with the "
                "message attribute `OriginalSentTimestamp`", (ROUTES, MOVED, FAILED),
                leaves_open="One send per message or batches, in any order; the DataType "
                "may be a custom Number.<label>; the milliseconds may be off by one (worked "
                "out in floats)."),
    Requirement("3.6", "**expire**: send a copy to the audit queue, with "
                "`OriginalSentTimestamp` and a `Reason`", (ROUTES, LOW_QUEUE, MOVED, FAILED),
                leaves_open="The Reason's words are free, if not blank."),
    Requirement("3.7", "Delete the message from the queue it came from, **only once** it has "
                "been served, or its copy safely sent.",
                (ROUTES, LOW_QUEUE, MOVED, FAILED, SURGE),
                leaves_open="One delete per message or a batch at the end of the pass: only "
                "each delete's place after its own message's serve or send is checked."),
    Requirement("3.8", "If a send fails (any `ClientError`, or, in a `send_message_batch`, an "
                "entry of the answer's `Failed` list), leave the message where it is",
                (FAILED, SURGE),
                leaves_open="Retrying a refused send within the pass is allowed: a message "
                "whose copy then got through is moved; one whose send finally failed stays."),
    Requirement("3.9", "Return how many messages the pass received.",
                (ROUTES, LOW_QUEUE, MOVED, FAILED)),
    Requirement("4.1", "every message sent once `fresh_s` has passed since the surge is served "
                "within `fresh_s` of being sent", (SURGE,),
                leaves_open="Messages sent within fresh_s of the surge are not judged; ages "
                "may be read once per pass or once per message."),
    Requirement("4.2", "Every message must end up processed once, in the audit queue, or still "
                "waiting in a queue.", (SURGE,)),
)

MAIN, LOW, AUDIT = "main", "low", "audit"
VISIBLE_FRESH_S, VISIBLE_EXPIRE_S = 30, 120  # the visible tests' thresholds
MS_PER_S = 1000
AGE_TOLERANCE_S = 0.001  # SentTimestamp's own resolution: a millisecond
ORIGINAL_TOLERANCE_MS = 1  # a first send time worked out in floats may be off by one ms
MARGIN_S = 2.0  # hidden scenarios keep every age this far from a threshold
INSPECT_VISIBILITY_S = 600  # the test hides what it has read while it reads a queue
IN_FLIGHT_NUMBER = 900  # messages another consumer holds are numbered from here


# -- what the consumer did: its SQS calls and the test's process, in order ----------------------


@dataclass
class Call:
    """One SQS call the consumer made, as its client saw it (after botocore's retries)."""

    operation: str
    params: dict
    ok: bool = False  # answered with HTTP 2xx
    answer: dict = field(default_factory=dict)


@dataclass
class Served:
    """One call of the test's ``process``: the body it got, and the message number in it."""

    body: object
    number: int | None
    at_s: float


class Timeline(list):
    """Everything a consumer did, in order: its SQS calls (``Call``) and the test's
    ``process`` calls (``Served``). Recorded from the client's own events, so it sees the
    calls whatever way the learner's code makes them."""

    def __init__(self, client: BaseClient):
        super().__init__()
        self._last: Call | None = None  # the call under way, or the last one made
        client.meta.events.register("before-parameter-build.sqs", self._started)
        client.meta.events.register("after-call.sqs", self._answered)

    def _started(self, params, model, **_):
        self._last = Call(model.name, dict(params))
        self.append(self._last)

    def _answered(self, http_response, parsed, model, **_):
        if self._last is not None and self._last.operation == model.name:
            self._last.ok = http_response.status_code < 300
            self._last.answer = parsed


# -- the test's world: a sandbox, a clock, and sets of three queues ------------------------------


@dataclass
class World:
    """One test's sandbox: the consumer's client (recorded, and where faults go) and the
    test's own, for sending and inspecting."""

    clock: SimClock
    sqs: BaseClient
    producer: BaseClient
    faults: FaultInjector
    timeline: Timeline
    names: Iterator[int] = field(default_factory=count)

    def now(self) -> float:
        """Unix seconds, as ``time.time()`` gives: what SentTimestamp is measured in."""
        return epoch_s(self.clock)

    def scenario(self, fresh_s: float, expire_s: float, service_s: float = 0.0) -> Scenario:
        """A new set of three empty queues, with the thresholds a pass gets."""
        prefix = f"orders-{next(self.names)}"
        urls = {kind: self.producer.create_queue(QueueName=f"{prefix}-{kind}")["QueueUrl"]
                for kind in (MAIN, LOW, AUDIT)}
        return Scenario(self, urls, fresh_s, expire_s, service_s)


@contextmanager
def _world(max_calls: int, **client_config) -> Iterator[World]:
    """A sandbox whose consumer's client (configured by ``client_config``) stops code that
    makes more than ``max_calls`` calls."""
    clock = SimClock()
    with aws_sandbox(clock=clock) as aws:
        sqs = aws.client("sqs", **client_config)
        faults = FaultInjector(sqs, clock)
        timeline = Timeline(sqs)
        stop_runaway(sqs, "SQS", max_calls=max_calls)
        yield World(clock, sqs, aws.client("sqs"), faults, timeline)


@dataclass
class Put:
    """A message a scenario starts with: its number, its queue, how old it is when the
    pass runs, and (for one put in the low queue) how long ago it was first sent."""

    number: int
    queue: str
    age_s: float
    first_age_s: float | None = None


@dataclass
class Scenario:
    """Three queues of one test, and what happened to their messages."""

    world: World
    urls: dict[str, str]
    fresh_s: float
    expire_s: float
    service_s: float = 0.0  # what process costs in simulated time
    first_ms: dict[int, int] = field(default_factory=dict)  # number -> first send (ms)
    put_in: dict[int, str] = field(default_factory=dict)  # number -> queue it is in now
    sent_at: dict[int, float] = field(default_factory=dict)  # number -> simulated send time

    @property
    def clock(self) -> SimClock:
        return self.world.clock

    def process(self, body) -> None:
        """The business logic: note the message and spend ``service_s`` on it."""
        self.world.timeline.append(Served(body, _number_of(body), self.clock.now()))
        self.clock.advance(self.service_s)

    def send(self, numbers: list[int], queue: str = MAIN,
             first_ms: dict[int, int] | None = None) -> None:
        """Send these messages now, ten to a call (as the producer, not the consumer); those
        in ``first_ms`` carry it as their OriginalSentTimestamp (moved messages)."""
        first_ms = first_ms or {}
        now_ms = int(self.world.now() * MS_PER_S)  # as moto stamps SentTimestamp
        for start in range(0, len(numbers), SQS_BATCH_MAX_ENTRIES):
            entries: list[dict] = []
            for number in numbers[start:start + SQS_BATCH_MAX_ENTRIES]:
                entries.append({"Id": str(number), "MessageBody": _body(number)})
                if number in first_ms:
                    entries[-1]["MessageAttributes"] = {"OriginalSentTimestamp": {
                        "DataType": "Number", "StringValue": str(first_ms[number])}}
            self.world.producer.send_message_batch(QueueUrl=self.urls[queue], Entries=entries)
        for number in numbers:
            self.first_ms[number] = first_ms.get(number, now_ms)
            self.put_in[number] = queue
            self.sent_at[number] = self.clock.now()

    def fill(self, puts: list[Put]) -> None:
        """Send each message at the time that makes it ``age_s`` old when the pass runs: at
        the oldest age plus a second from now, where the clock then stands."""
        start_s = self.clock.now() + max(put.age_s for put in puts) + 1
        for age_s in sorted({put.age_s for put in puts}, reverse=True):
            self.clock.advance(start_s - age_s - self.clock.now())
            for queue in (MAIN, LOW):
                now_s = self.world.now()
                group = [put for put in puts if put.queue == queue and put.age_s == age_s]
                if group:
                    self.send([put.number for put in group], queue, {
                        put.number: int((now_s + age_s - put.first_age_s) * MS_PER_S)
                        for put in group if put.first_age_s is not None})
        self.clock.advance(start_s - self.clock.now())

    def run_pass(self, consume_batch) -> tuple[object, PassRecord]:
        """One pass of the learner's consumer: what it returned, and what it did."""
        start, start_s = len(self.world.timeline), self.clock.now()
        where = dict(self.put_in)
        returned = consume_batch(self.world.sqs, dict(self.urls), self.process,
                                 self.world.now, self.fresh_s, self.expire_s)
        record = PassRecord(self, self.world.timeline[start:], start_s, where)
        self._follow_moves(record)
        return returned, record

    def _follow_moves(self, record: PassRecord) -> None:
        """Note where the pass left each message it moved: in the queue its copy went to,
        once the original was deleted (the next pass's feedback then names that queue)."""
        for fate in record.fates.values():
            moved_to = [copy.queue for copy in fate.copies if copy.ok and copy.queue]
            if fate.number is not None and fate.deleted_at is not None and moved_to:
                self.put_in[fate.number] = moved_to[0]

    def left_in(self, queue: str) -> list[dict]:
        """Every message still in a queue, in-flight ones included (the clock moves past
        their visibility timeout). Reading hides them again: call it once a scenario is
        over."""
        self.clock.advance(SQS_DEFAULT_VISIBILITY_TIMEOUT_S + 1)
        found: list[dict] = []
        while True:
            page = self.world.producer.receive_message(
                QueueUrl=self.urls[queue], MaxNumberOfMessages=SQS_BATCH_MAX_ENTRIES,
                MessageAttributeNames=["All"], MessageSystemAttributeNames=["SentTimestamp"],
                VisibilityTimeout=INSPECT_VISIBILITY_S).get("Messages", [])
            if not page:
                return found
            found += page

    def numbers_in(self, queue: str) -> list[int | None]:
        return [_number_of(m["Body"]) for m in self.left_in(queue)]


def _body(number: int) -> str:
    return json.dumps({"number": number})


def _number_of(body) -> int | None:
    """The message number in a body, or None if the body is not one the test sent."""
    try:
        number = json.loads(body)["number"]
    except (TypeError, ValueError, KeyError):
        return None
    return number if isinstance(number, int) else None


# -- one pass, message by message ----------------------------------------------------------------


@dataclass
class Copy:
    """A copy of a message the consumer sent (one SendMessage, or one batch entry)."""

    at: int  # its place in the pass's timeline
    queue: str | None  # which of the scenario's queues (None: another URL)
    body: object
    attributes: dict
    ok: bool  # SQS took it


@dataclass
class Fate:
    """What one pass did with one message it received."""

    number: int | None
    queue: str  # the queue it was received from
    handle: str
    served: list[int] = field(default_factory=list)  # timeline places of process calls
    copies: list[Copy] = field(default_factory=list)
    deletes: list[tuple[int, bool]] = field(default_factory=list)  # (place, succeeded)

    @property
    def sent_at(self) -> int | None:
        """Where its first copy SQS took is in the timeline (None: no copy got through)."""
        return min((c.at for c in self.copies if c.ok), default=None)

    @property
    def deleted_at(self) -> int | None:
        """Where its first successful delete is in the timeline (None: never deleted)."""
        return min((at for at, ok in self.deletes if ok), default=None)


class PassRecord:
    """One pass of the consumer, read from its timeline: the queues it received from, and
    each received message's fate."""

    def __init__(self, scenario: Scenario, entries: list, start_s: float,
                 where: dict[int, str]):
        self.scenario, self.entries, self.start_s = scenario, entries, start_s
        self.where = where  # number -> the queue it was in when the pass began
        queue_of = {url: kind for kind, url in scenario.urls.items()}
        self.received_from: list[str | None] = []  # each ReceiveMessage's queue, in order
        self.fates: dict[str, Fate] = {}  # by receipt handle, in the order received
        self.stray_copies: list[Copy] = []  # copies of no message this pass received
        self.stray_serves: list[Served] = []
        self.asked: list[dict] = []  # each ReceiveMessage's parameters
        for at, entry in enumerate(entries):
            if isinstance(entry, Served):
                self._served(at, entry)
            elif entry.operation == "ReceiveMessage":
                self.received_from.append(queue_of.get(str(entry.params.get("QueueUrl"))))
                self.asked.append(entry.params)
                for message in entry.answer.get("Messages", []) if entry.ok else []:
                    self.fates[message["ReceiptHandle"]] = Fate(
                        _number_of(message.get("Body")), self.received_from[-1] or "?",
                        message["ReceiptHandle"])
            elif entry.operation in ("SendMessage", "SendMessageBatch"):
                for copy in _copies(at, entry, queue_of):
                    self._copied(copy)
            elif entry.operation in ("DeleteMessage", "DeleteMessageBatch"):
                for handle, ok in _deletes(entry):
                    if handle in self.fates:
                        self.fates[handle].deletes.append((at, ok))

    def _by_number(self, number: int | None) -> Fate | None:
        matches = [fate for fate in self.fates.values() if fate.number == number]
        return matches[0] if number is not None and matches else None

    def _served(self, at: int, served: Served) -> None:
        fate = self._by_number(served.number)
        if fate is None:
            self.stray_serves.append(served)
        else:
            fate.served.append(at)

    def _copied(self, copy: Copy) -> None:
        fate = self._by_number(_number_of(copy.body))
        if fate is None:
            self.stray_copies.append(copy)
        else:
            fate.copies.append(copy)

    @property
    def received(self) -> list[int | None]:
        return [fate.number for fate in self.fates.values()]

    def fate(self, number: int) -> Fate:
        fate = self._by_number(number)
        expect(fate is not None, f"Message {number} was never received in this pass.")
        assert fate is not None
        return fate


def _copies(at: int, call: Call, queue_of: dict[str, str]) -> list[Copy]:
    """The copies one SendMessage or SendMessageBatch call carried, each with whether SQS
    took it (a batch's entry counts only if the answer lists it as Successful)."""
    queue = queue_of.get(str(call.params.get("QueueUrl")))
    if call.operation == "SendMessage":
        return [Copy(at, queue, call.params.get("MessageBody"),
                     call.params.get("MessageAttributes") or {}, call.ok)]
    succeeded = {entry.get("Id") for entry in call.answer.get("Successful", [])}
    return [Copy(at, queue, entry.get("MessageBody"), entry.get("MessageAttributes") or {},
                 call.ok and entry.get("Id") in succeeded)
            for entry in call.params.get("Entries", [])]


def _deletes(call: Call) -> list[tuple[str, bool]]:
    """The receipt handles one DeleteMessage or DeleteMessageBatch call named, each with
    whether the delete succeeded."""
    if call.operation == "DeleteMessage":
        return [(call.params.get("ReceiptHandle", ""), call.ok)]
    succeeded = {entry.get("Id") for entry in call.answer.get("Successful", [])}
    return [(entry.get("ReceiptHandle", ""), call.ok and entry.get("Id") in succeeded)
            for entry in call.params.get("Entries", [])]


# -- what a pass should have done with each message -------------------------------------------

ACTIONS = {  # triage's answer -> what the pass does, in the instructions' words
    "serve": "served (process(message[\"Body\"]), once)",
    "defer": "deferred (a copy sent to the low queue)",
    "expire": "expired (a copy sent to the audit queue, with a Reason)",
}
COPY_QUEUE = {"defer": LOW, "expire": AUDIT}


def _described(record: PassRecord, number: int) -> str:
    """A message as a learner can find it: its number, its age (from its first send) and
    the queue it was in when the pass began."""
    scenario = record.scenario
    age_s = SIM_EPOCH_S + record.start_s - scenario.first_ms[number] / MS_PER_S
    received = [fate.queue for fate in record.fates.values() if fate.number == number]
    queue = received[0] if received else record.where[number]
    return (f"message {number} ({age_s:.1f} s old since its first send, in the {queue} "
            f"queue; fresh_s={scenario.fresh_s:g}, expire_s={scenario.expire_s:g})")


def _expect_returned(record: PassRecord, returned) -> None:
    received = len(record.fates)
    expect(type(returned) is int and returned == received,
           f"consume_batch returned {returned!r}, but the pass received {received} "
           "message(s): return how many it received (sent on, served or kept), so that the "
           "caller knows whether there was work.")


def _expect_no_strays(record: PassRecord) -> None:
    for served in record.stray_serves:
        expect(False, f"process was called with {served.body!r}, which is not the Body of a "
                      "message this pass received: call process(message[\"Body\"]), with the "
                      "body string as SQS returned it.")
    for copy in record.stray_copies:
        expect(not copy.ok, f"A copy with the body {copy.body!r} was sent, but the pass "
                            "received no message with that body: a copy keeps the message's "
                            "Body unchanged.")


def _expect_original(record: PassRecord, number: int, copy: Copy) -> None:
    """The copy carries the message's first send time, as the instructions spell it."""
    original = copy.attributes.get("OriginalSentTimestamp")
    described = _described(record, number)
    expect(isinstance(original, dict),
           f"The copy of {described} sent to the {copy.queue} queue carries no "
           "OriginalSentTimestamp message attribute (its attributes: "
           f"{sorted(copy.attributes)}). Without it the copy looks new: its age would "
           "restart from the move.")
    assert isinstance(original, dict)  # expect has failed otherwise
    kind = str(original.get("DataType", ""))
    expect(kind == "Number" or kind.startswith("Number."),
           f"The copy of {described} carries OriginalSentTimestamp with DataType {kind!r}: "
           "make it a \"Number\", as the instructions say.")
    expected_ms = record.scenario.first_ms[number]
    try:
        got_ms: float | None = float(original["StringValue"])
    except (KeyError, TypeError, ValueError):
        got_ms = None
    expect(got_ms is not None and abs(got_ms - expected_ms) <= ORIGINAL_TOLERANCE_MS,
           f"The copy of {described} carries OriginalSentTimestamp "
           f"{original.get('StringValue')!r}; its first send was at {expected_ms} ms since "
           "the epoch. Carry the first send time in milliseconds: the OriginalSentTimestamp "
           "it came with, or else its SentTimestamp.")


def _expect_reason(record: PassRecord, number: int, copy: Copy) -> None:
    reason = copy.attributes.get("Reason")
    kind = str(reason.get("DataType", "")) if isinstance(reason, dict) else ""
    text = reason.get("StringValue") if isinstance(reason, dict) else None
    expect((kind == "String" or kind.startswith("String.")) and isinstance(text, str)
           and text.strip(),
           f"{_described(record, number)} was expired to the audit queue with Reason "
           f"{reason!r}: give it a Reason message attribute, a \"String\" that says why, so "
           "that whoever reads the audit queue knows what happened.")


def _expect_copy(record: PassRecord, number: int, action: str, fate: Fate) -> None:
    """The message went, once, to the queue its triage names, body and attributes kept."""
    described, queue = _described(record, number), COPY_QUEUE[action]
    taken = [copy for copy in fate.copies if copy.ok]
    wrong = [copy.queue or "an unknown" for copy in taken if copy.queue != queue]
    expect(not wrong, f"{described} should be {ACTIONS[action]}; a copy went to the "
                      f"{wrong[0] if wrong else ''} queue.")
    expect(len(taken) == 1, f"{described} should be {ACTIONS[action]}, once; "
                            f"{len(taken)} copies reached the {queue} queue.")
    copy = taken[0]
    expect(copy.body == _body(number),
           f"The copy of {described} has the body {copy.body!r}, not the message's "
           f"{_body(number)!r}: send the Body on unchanged.")
    _expect_original(record, number, copy)
    if action == "expire":
        _expect_reason(record, number, copy)


def _expect_fate(record: PassRecord, number: int, action: str, may_fail: bool) -> None:
    """What one message's pass did matches its triage (``action``); with ``may_fail``, a
    copy that SQS refused leaves the message in its queue instead."""
    fate, described = record.fate(number), _described(record, number)
    served = len(fate.served)
    if action == "serve":
        expect(served == 1, f"{described} should be {ACTIONS['serve']}; process was called "
                            f"for it {served} times.")
        expect(not any(copy.ok for copy in fate.copies),
               f"{described} should be served only; a copy of it was also sent to the "
               f"{fate.copies[0].queue if fate.copies else ''} queue.")
        done_at: int | None = fate.served[0]
    else:
        expect(served == 0, f"{described} should be {ACTIONS[action]}, not processed; "
                            "process was called for it.")
        if fate.sent_at is None and may_fail and fate.copies:
            expect(fate.deleted_at is None,
                   f"SQS refused the copy of {described}, yet the message was deleted from "
                   f"the {fate.queue} queue: it is now lost. Delete a message only once its "
                   "copy is safely sent; if the send fails, leave it where it is.")
            return
        expect(fate.copies, f"{described} should be {ACTIONS[action]}; no copy was sent"
               + (" (not even tried). When one send fails, go on with the other messages: "
                  "leave that one where it is, and handle the rest." if may_fail else "."))
        _expect_copy(record, number, action, fate)
        done_at = fate.sent_at
    deleted_at = fate.deleted_at
    expect(deleted_at is not None,
           f"{described} was handled but never deleted from the {fate.queue} queue: it comes "
           "back after its visibility timeout and is handled twice.")
    expect(deleted_at is not None and done_at is not None and deleted_at > done_at,
           f"{described} was deleted from the {fate.queue} queue before it was "
           f"{'served' if action == 'serve' else 'safely copied'}: had that failed, the "
           "message would be lost. Delete a message only once it is handled.")


def _expect_pass(record: PassRecord, returned, expected: dict[int, str],
                 may_fail: bool = False) -> None:
    """The pass received exactly the ``expected`` messages, handled each as its triage
    says ({number: "serve" | "defer" | "expire"}) and returned how many it received."""
    _expect_no_strays(record)
    missing = sorted(set(expected) - set(record.received))
    asked = [params.get("MaxNumberOfMessages", 1) for params in record.asked]
    too_few = "" if all(n == SQS_BATCH_MAX_ENTRIES for n in asked) else (
        f" Its receives asked for {asked} message(s): ask for {SQS_BATCH_MAX_ENTRIES}, the most "
        "one receive returns (SQS's default is 1).")
    expect(not missing, f"The pass should have received messages {missing} "
                        f"({', '.join(_described(record, n) for n in missing[:2])}); "
                        f"it received {record.received} from {record.received_from}.{too_few}")
    extra = sorted(set(record.received) - set(expected), key=str)
    expect(not extra, f"The pass received messages {extra} it should not have: one pass "
                      "receives once from the main queue, and from the low queue only when "
                      "the main queue is empty.")
    for number, action in sorted(expected.items()):
        _expect_fate(record, number, action, may_fail)
    _expect_returned(record, returned)


# -- 1. how old is a message ------------------------------------------------------------------

SIM_EPOCH_MS = int(SIM_EPOCH_S * MS_PER_S)
EPOCH_SPREAD_MS = 10**11  # first sends up to about three years either side of the epoch
MAX_AGE_MS = 10**9  # ages up to about eleven days
OTHER_MESSAGE_ATTRIBUTES = {  # attributes a message may carry besides OriginalSentTimestamp
    "Reason": {"DataType": "String", "StringValue": "expired: 130 s old"},
    "TraceId": {"DataType": "String", "StringValue": "1-5759e988-bd862e3fe1be46a994272793"},
    "Attempt": {"DataType": "Number", "StringValue": "3"},
}


def _message(sent_ms: int, original_ms: int | None = None, others: tuple[str, ...] = ()) -> dict:
    """A received SQS message, as ReceiveMessage returns it (attributes asked for)."""
    message = {"MessageId": "5fea7756-0ea4-451a-a703-a558b933f274", "ReceiptHandle": "AQEB",
               "Body": _body(1), "Attributes": {"SentTimestamp": str(sent_ms)}}
    attributes = {name: OTHER_MESSAGE_ATTRIBUTES[name] for name in others}
    if original_ms is not None:
        attributes["OriginalSentTimestamp"] = {"DataType": "Number",
                                               "StringValue": str(original_ms)}
    if attributes:
        message["MessageAttributes"] = attributes
    return message


def check_message_age(message_age_s) -> None:
    now_s = SIM_EPOCH_S + 100.0
    got = message_age_s(_message(SIM_EPOCH_MS + 40_000), now_s)
    expect(isinstance(got, (int, float)) and abs(got - 60.0) < AGE_TOLERANCE_S,
           f"A message SQS stamped 60 s ago should be 60 s old; message_age_s returned {got!r}. "
           "SentTimestamp is in milliseconds since the epoch (a string); now is in seconds.")
    got = message_age_s(_message(SIM_EPOCH_MS + 95_000, original_ms=SIM_EPOCH_MS + 10_000),
                        now_s)
    expect(isinstance(got, (int, float)) and abs(got - 90.0) < AGE_TOLERANCE_S,
           "A message moved to this queue 5 s ago, but first sent 90 s ago, is 90 s old; "
           f"message_age_s returned {got!r}. SentTimestamp restarts when a message is sent "
           "again: read OriginalSentTimestamp when the message has one.")


ATTRIBUTE_CHOICES = ((), ("Reason",), ("TraceId", "Attempt"))  # other attributes it carries
NOW_FRACTIONS_MS = (0.0, 0.25, 0.5, 0.999)  # where now_s falls within its millisecond


@st.composite
def _aged_messages(draw) -> tuple[dict, float, float]:
    """(message, now_s, its age): first sent at any millisecond, maybe moved since, maybe
    carrying other message attributes; now_s anywhere within the millisecond."""
    first_ms = draw(st.integers(SIM_EPOCH_MS - EPOCH_SPREAD_MS, SIM_EPOCH_MS + EPOCH_SPREAD_MS))
    age_ms = draw(st.integers(0, MAX_AGE_MS))
    moved_after_ms = draw(st.integers(0, age_ms)) if draw(st.booleans()) else None
    others = draw(st.sampled_from(ATTRIBUTE_CHOICES))
    now_s = (first_ms + age_ms + draw(st.sampled_from(NOW_FRACTIONS_MS))) / MS_PER_S
    message = (_message(first_ms, None, others) if moved_after_ms is None
               else _message(first_ms + moved_after_ms, first_ms, others))
    return message, now_s, now_s - first_ms / MS_PER_S


def _age_of(case: tuple[dict, float, float]) -> str:
    message, now_s, _ = case
    return (f"message_age_s({{'Attributes': {message['Attributes']}, 'MessageAttributes': "
            f"{message.get('MessageAttributes', '(none)')}}}, now_s={now_s!r})")


@varied
def check_message_age_everywhere(message_age_s, *, seed: int) -> None:
    """The age of any message, moved or not, at any time, to the millisecond."""

    def prove(case: tuple[dict, float, float]) -> None:
        message, now_s, age_s = case
        got = message_age_s(message, now_s)
        moved = ("(and moved since: it carries OriginalSentTimestamp)"
                 if "OriginalSentTimestamp" in message.get("MessageAttributes", {})
                 else "(never moved: no OriginalSentTimestamp)")
        expect(isinstance(got, (int, float)) and abs(got - age_s) <= AGE_TOLERANCE_S,
               f"A message first sent {age_s:.3f} s before now_s {moved} is "
               f"{age_s:.3f} s old; message_age_s returned {got!r}. Both timestamps are "
               "milliseconds since the epoch, as strings; now_s is in seconds, with a "
               "fraction. Keep the milliseconds: a message a fraction of a second past "
               "fresh_s is already past it.")

    for_all(_aged_messages(), prove, seed=seed, show=_age_of)


# -- 2. serve, defer or expire ------------------------------------------------------------------

TRIAGE_RULES = {
    "serve": "a message no older than fresh_s is served",
    "defer": "one older than fresh_s but no older than expire_s is deferred",
    "expire": "one older than expire_s is expired",
}


def _triage_rule(age_s: float, fresh_s: float, expire_s: float) -> str:
    """The instructions' rule, as they state it."""
    if age_s > expire_s:
        return "expire"
    return "defer" if age_s > fresh_s else "serve"


def _expect_triage(triage, age_s: float, fresh_s: float, expire_s: float) -> None:
    expected, got = _triage_rule(age_s, fresh_s, expire_s), triage(age_s, fresh_s, expire_s)
    expect(got == expected,
           f"triage({age_s!r}, fresh_s={fresh_s!r}, expire_s={expire_s!r}) should be "
           f"{expected!r} ({TRIAGE_RULES[expected]}); it returned {got!r}.")


def check_triage(triage) -> None:
    for age_s in (0, VISIBLE_FRESH_S, VISIBLE_FRESH_S + 1, VISIBLE_EXPIRE_S,
                  VISIBLE_EXPIRE_S + 1, 10_000):
        _expect_triage(triage, age_s, VISIBLE_FRESH_S, VISIBLE_EXPIRE_S)


THRESHOLD_FRACTIONS_S = (0, 0, 0.5, 0.25, 0.001)  # thresholds are whole seconds, or not
DEFER_SPANS_S = (0, 1, 60, 3600)  # how much older expire_s is than fresh_s (0: no deferring)
AGE_OFFSETS_S = (0.001, 0.5, 1)  # ages just past a threshold


@st.composite
def _triage_cases(draw) -> tuple[float, float, float]:
    """(age_s, fresh_s, expire_s): any thresholds (whole or not, expire_s >= fresh_s), and
    ages at, just past and between them."""
    fresh_s = draw(st.integers(1, 3600)) + draw(st.sampled_from(THRESHOLD_FRACTIONS_S))
    expire_s = fresh_s + draw(st.sampled_from(DEFER_SPANS_S)) \
        + draw(st.sampled_from(THRESHOLD_FRACTIONS_S))
    offset_s = draw(st.sampled_from(AGE_OFFSETS_S))
    age_s = draw(st.sampled_from([
        0, fresh_s - offset_s, fresh_s, fresh_s + offset_s, (fresh_s + expire_s) / 2,
        expire_s, expire_s + offset_s, expire_s * 10]))
    return max(0, age_s), fresh_s, expire_s


@varied
def check_triage_everywhere(triage, *, seed: int) -> None:
    """triage on any thresholds and ages, the boundaries above all."""
    for_all(_triage_cases(), lambda case: _expect_triage(triage, *case), seed=seed,
            show=lambda case: "triage(age_s={!r}, fresh_s={!r}, expire_s={!r})".format(*case))


# -- 3. one pass of the consumer --------------------------------------------------------------

SINGLE_PASS_CALLS = 400  # far more SQS calls than any few passes need
FRESH_RANGE_S = (15, 60)  # hidden scenarios' fresh_s
DEFER_SPAN_RANGE_S = (20, 120)  # and how much older expire_s is
AWAY_S = 3 * MARGIN_S  # hidden thresholds stay this far from the visible ones


def _thresholds(rng: random.Random) -> tuple[float, float]:
    """A hidden scenario's fresh_s and expire_s: whole seconds or halves, and far enough from
    the visible tests' (30 s and 120 s) that code fixed to those misroutes a message."""
    while True:
        fresh_s = rng.randrange(2 * FRESH_RANGE_S[0], 2 * FRESH_RANGE_S[1] + 1) / 2
        expire_s = fresh_s + rng.randrange(*DEFER_SPAN_RANGE_S)
        if min(abs(fresh_s - VISIBLE_FRESH_S), abs(expire_s - VISIBLE_EXPIRE_S)) > AWAY_S:
            return fresh_s, expire_s


def _age_pools(rng: random.Random, fresh_s: float, expire_s: float) -> dict[str, list[float]]:
    """Two ages (whole milliseconds) for each triage answer, one of them within a few
    seconds of a threshold: code whose thresholds are off by more misroutes one. Messages
    take theirs from these, so the test sends them in a few calls (one per distinct age)."""
    def between(low: float, high: float) -> float:
        return round(rng.uniform(low, high), 3)

    near = 2 * MARGIN_S
    return {"serve": [between(0, fresh_s - near), between(fresh_s - near, fresh_s - MARGIN_S)],
            "defer": [between(fresh_s + MARGIN_S, fresh_s + near),
                      between(expire_s - near, expire_s - MARGIN_S)],
            "expire": [between(expire_s + MARGIN_S, expire_s + near),
                       between(expire_s + near, 3 * expire_s)]}


def _every_age(rng: random.Random, ages: dict[str, list[float]], most: int,
               ) -> list[tuple[str, float]]:
    """(triage answer, age) for messages of every pool age, and more, ``most`` at most, in a
    random order."""
    chosen = [(action, age_s) for action, pool in ages.items() for age_s in pool]
    chosen += [(action, rng.choice(ages[action])) for action in rng.choices(
        list(ages), k=rng.randrange(0, most - len(chosen) + 1))]
    rng.shuffle(chosen)
    return chosen


def check_consume_routes_by_age(consume_batch) -> None:
    with _world(SINGLE_PASS_CALLS) as world:
        scenario = world.scenario(VISIBLE_FRESH_S, VISIBLE_EXPIRE_S)
        scenario.fill([Put(1, MAIN, 200), Put(2, MAIN, 50), Put(3, MAIN, 5)])
        returned, record = scenario.run_pass(consume_batch)
        _expect_no_strays(record)
        served = [entry.number for entry in record.entries if isinstance(entry, Served)]
        expect(served == [3],
               "Of three messages 200 s, 50 s and 5 s old, only the 5-second-old one should "
               f"be processed now; processed: {served}.")
        _expect_pass(record, returned, {1: "expire", 2: "defer", 3: "serve"})
        left = scenario.numbers_in(MAIN)
        expect(not left, f"The main queue should be empty; it still holds {left}: delete "
                         "each message once it is served or moved.")


@varied
def check_consume_routes_every_age(consume_batch, *, seed: int) -> None:
    """One pass over up to nine messages of every age, at thresholds of the scenario's, some
    near them; with work waiting in the low queue, which the pass leaves alone."""
    rng = random.Random(seed)
    fresh_s, expire_s = _thresholds(rng)
    chosen = _every_age(rng, _age_pools(rng, fresh_s, expire_s), SQS_BATCH_MAX_ENTRIES - 1)
    expected = {n: action for n, (action, _) in enumerate(chosen, start=1)}
    with _world(SINGLE_PASS_CALLS) as world:
        scenario = world.scenario(fresh_s, expire_s)
        waiting = len(chosen) + 1  # in the low queue: not for this pass
        scenario.fill([Put(n, MAIN, age_s) for n, (_, age_s) in enumerate(chosen, start=1)]
                      + [Put(waiting, LOW, MARGIN_S, fresh_s + MARGIN_S)])
        returned, record = scenario.run_pass(consume_batch)
        _expect_pass(record, returned, expected)


@varied
def check_low_priority_served_when_main_is_empty(consume_batch, *, seed: int) -> None:
    """The main queue first, ten at a time; the low queue only when main is empty, where
    only expiry applies; nothing to receive, 0."""
    rng = random.Random(seed)
    fresh_s, expire_s = _thresholds(rng)
    with _world(SINGLE_PASS_CALLS) as world:
        _expect_main_first(consume_batch, world.scenario(fresh_s, expire_s), rng)
        _expect_low_when_main_is_empty(consume_batch, world.scenario(fresh_s, expire_s), rng)
        returned, record = world.scenario(fresh_s, expire_s).run_pass(consume_batch)
        _expect_no_waiting(record)
        expect(type(returned) is int and returned == 0,
               f"With both queues empty, consume_batch should return 0; it returned "
               f"{returned!r}. The caller reads 0 as \"no work\": anything else keeps it "
               "polling empty queues without a pause.")


def _expect_no_waiting(record: PassRecord) -> None:
    """No receive of the pass waited for messages (a long poll)."""
    waits = [asked["WaitTimeSeconds"] for asked in record.asked
             if asked.get("WaitTimeSeconds")]
    expect(not waits, f"The pass asked receive_message to wait for messages "
                      f"(WaitTimeSeconds={waits[0] if waits else 0}). One pass takes what is "
                      "there now: waiting on an empty main queue keeps the low queue's work, "
                      "and the caller, waiting too.")


def _expect_main_first(consume_batch, scenario: Scenario, rng: random.Random) -> None:
    """More than ten fresh messages in main, some in low: the pass takes ten from main."""
    in_main = SQS_BATCH_MAX_ENTRIES + rng.randrange(1, 6)
    in_low = rng.randrange(1, 4)
    ages = _age_pools(rng, scenario.fresh_s, scenario.expire_s)
    puts = [Put(n, MAIN, rng.choice(ages["serve"])) for n in range(1, in_main + 1)]
    puts += [Put(in_main + n, LOW, 1.0, rng.choice(ages["defer"]))
             for n in range(1, in_low + 1)]
    scenario.fill(puts)
    returned, record = scenario.run_pass(consume_batch)
    _expect_no_waiting(record)
    expect(LOW not in record.received_from,
           f"The main queue held {in_main} messages, yet the pass also received from the low "
           "queue: the low queue is read only when the main queue is empty. (Received "
           "messages stay hidden for their visibility timeout, so reading the low queue "
           "for nothing delays its work.)")
    expect(len(record.fates) == SQS_BATCH_MAX_ENTRIES,
           f"The main queue held {in_main} fresh messages; one pass should receive "
           f"{SQS_BATCH_MAX_ENTRIES} of them (MaxNumberOfMessages=10, the most one receive "
           f"gives), and handle only those; it received {len(record.fates)}.")
    _expect_pass(record, returned, {number: "serve" for number in record.received
                                    if number is not None})


def _hold_in_flight(scenario: Scenario, count: int) -> int:
    """Send ``count`` messages to main and receive them as another consumer would, hidden
    for as long as SQS allows: main has messages, none of them to receive."""
    if count:
        numbers = [IN_FLIGHT_NUMBER + n for n in range(count)]
        scenario.send(numbers, MAIN)
        scenario.world.producer.receive_message(
            QueueUrl=scenario.urls[MAIN], MaxNumberOfMessages=SQS_BATCH_MAX_ENTRIES,
            VisibilityTimeout=SQS_MAX_VISIBILITY_TIMEOUT_S)
    return count


def _expect_low_when_main_is_empty(consume_batch, scenario: Scenario,
                                   rng: random.Random) -> None:
    """Main empty: the pass serves the low queue's messages, old as they are, but expires
    the stale ones."""
    ages = _age_pools(rng, scenario.fresh_s, scenario.expire_s)
    chosen = _every_age(rng, ages, SQS_BATCH_MAX_ENTRIES)
    actions = [action for action, _ in chosen]
    since_moved_s = [0.0, round(rng.uniform(0, min(ages["serve"])), 3)]
    scenario.fill([Put(number, LOW, rng.choice(since_moved_s), first_age_s)
                   for number, (_, first_age_s) in enumerate(chosen, start=1)])
    in_flight = _hold_in_flight(scenario, rng.randrange(0, 3))
    returned, record = scenario.run_pass(consume_batch)
    held = (f" (its {in_flight} message(s) were in flight, held by another consumer: a "
            "receive returns none of them, so main has nothing for this pass, and the low "
            "queue's work must not wait out another consumer's visibility timeout)"
            if in_flight else "")
    expect(LOW in record.received_from,
           f"With the main queue empty{held}, the pass should receive from the low queue; "
           f"it received only from {record.received_from}.")
    for number, action in enumerate(actions, start=1):
        if action == "defer" and number in record.received:
            fate = record.fate(number)
            expect(not any(copy.queue == LOW for copy in fate.copies),
                   f"{_described(record, number)} was deferred again. A message from the low "
                   "queue has waited its turn: serve it, even past fresh_s (only expiry "
                   "applies there), or old work is never done.")
    _expect_pass(record, returned, {number: "expire" if action == "expire" else "serve"
                                    for number, action in enumerate(actions, start=1)})


@varied
def check_moved_messages_keep_their_age(consume_batch, *, seed: int) -> None:
    """A deferred message's age runs on from its first send: in the low queue it expires by
    that age, not by the time since it was moved."""
    rng = random.Random(seed)
    fresh_s, expire_s = _thresholds(rng)
    with _world(SINGLE_PASS_CALLS) as world:
        scenario = world.scenario(fresh_s, expire_s)
        old_s = round(rng.uniform(expire_s - 2 * MARGIN_S, expire_s - MARGIN_S), 3)
        young_s = round(rng.uniform(fresh_s + MARGIN_S, fresh_s + 2 * MARGIN_S), 3)
        scenario.fill([Put(1, MAIN, old_s), Put(2, MAIN, young_s)])
        returned, record = scenario.run_pass(consume_batch)
        _expect_pass(record, returned, {1: "defer", 2: "defer"})
        # Long enough for message 1 to pass expire_s, not message 2; and less than fresh_s
        # since the move, so that the moves' own SentTimestamps say both are fresh.
        scenario.clock.advance(rng.uniform(3 * MARGIN_S, min(fresh_s, expire_s - young_s)
                                           - MARGIN_S))
        returned, record = scenario.run_pass(consume_batch)
        fate = record.fate(1)
        expect(not fate.served,
               f"{_described(record, 1)} was processed. It was moved to the low queue only "
               "a few seconds ago, but its first send is past expire_s: it should be expired "
               "to the audit queue. Its age counts from its first send "
               "(OriginalSentTimestamp), not from its move.")
        _expect_pass(record, returned, {1: "expire", 2: "serve"})


# -- 3.8: sends that fail ---------------------------------------------------------------------

SERVER_ERROR_CODES = ("InternalServerError", "ServiceUnavailable", "InternalError",
                      "InternalFailure")
FAILED_MOVES_DEFER_SPAN_S = (80, 160)  # room for botocore's retry waits inside a pass
SCRIPTED_ATTEMPTS = 30  # send attempts whose outcome a scenario fixes in advance
ATTEMPT_FAILURE_RATE = 0.3  # of those, how many fail (after the first three, which all do)
SENDS_ALWAYS_FAILED = 3  # the first send fails even after botocore's three tries
REFUSED_ENTRIES = 3  # entries of a batch send that SQS lists as Failed
EXPIRED_SHARE = 0.3  # of the messages whose sends fail, expired ones (the rest are deferred)


def _send_error(rng: random.Random, family: str) -> tuple[str, int]:
    """(code, HTTP status) of an error SQS may answer a send with: throttling, a server
    error, or an error no retry fixes (``family``: "throttling", "server" or "permanent")."""
    if family == "throttling":
        return rng.choice(sorted(throttling_codes())), rng.choice([400, 429])
    if family == "server":
        return rng.choice(SERVER_ERROR_CODES), rng.randrange(500, 600)
    code = rng.choice(sorted(PERMANENT_CODES))
    return code, PERMANENT_CODES[code]


def _script_sends(faults: FaultInjector, rng: random.Random, code: str, status: int) -> None:
    """Fail single SendMessage attempts by a script: the first three, then some."""
    for attempt in range(SCRIPTED_ATTEMPTS):
        if attempt < SENDS_ALWAYS_FAILED or rng.random() < ATTEMPT_FAILURE_RATE:
            faults.error(code, "SendMessage", first=1, status=status)
        else:
            faults.latency(0.0, "SendMessage", first=1)  # goes through


def _pass_despite_failures(consume_batch, scenario: Scenario, failures: str):
    """One pass, some of whose sends SQS refuses (as ``failures`` says): what it returned
    and did, or a failure if the pass raised."""
    try:
        return scenario.run_pass(consume_batch)
    except Exception as raised:  # noqa: BLE001 - any error escaping the pass is the finding
        raise AssertionError(
            f"SQS refused some sends ({failures}), and consume_batch raised {raised!r}. A "
            "refused send means that one message stays where it is (it comes back after "
            "its visibility timeout): go on with the others.") from None


@varied
def check_failed_moves_lose_nothing(consume_batch, *, seed: int) -> None:
    """Sends refused one by one, or entry by entry in a batch, or a whole batch at once:
    each refused message stays in its queue, and the pass goes on with the rest."""
    rng = random.Random(seed)
    fresh_s = float(rng.randrange(*FRESH_RANGE_S))
    expire_s = fresh_s + rng.randrange(*FAILED_MOVES_DEFER_SPAN_S)
    with _world(SINGLE_PASS_CALLS) as world:
        for whole_batches_fail in (False, True):
            scenario = world.scenario(fresh_s, expire_s)
            expected = {n: "expire" if rng.random() < EXPIRED_SHARE else "defer"
                        for n in range(1, SQS_BATCH_MAX_ENTRIES + 1)}
            ages = _age_pools(rng, fresh_s, expire_s)  # deferred ones just past fresh_s,
            # so botocore's retry waits within the pass cannot make them stale
            waiting = len(expected) + 1  # in the low queue: not for this pass
            scenario.fill([Put(n, MAIN, ages[action][0]) for n, action in expected.items()]
                          + [Put(waiting, LOW, MARGIN_S, fresh_s + MARGIN_S)])
            code, status = _send_error(rng, "permanent" if whole_batches_fail else
                                       rng.choice(["throttling", "server"]))
            failures = f"{code}, HTTP {status}"
            world.faults.clear()
            _script_sends(world.faults, rng, code, status)
            if whole_batches_fail:
                world.faults.error(code, "SendMessageBatch", first=SENDS_ALWAYS_FAILED,
                                   status=status)
            else:
                refused = set(rng.sample(sorted(expected), REFUSED_ENTRIES))
                world.faults.fail_entries("SendMessageBatch", first=len(refused),
                                          when=lambda e, r=refused: _number_of(
                                              e.get("MessageBody")) in r)
                failures += "; in a send_message_batch, entries in its Failed list"
            returned, record = _pass_despite_failures(consume_batch, scenario, failures)
            world.faults.clear()
            _expect_pass(record, returned, expected, may_fail=True)


# -- 4. a surge, end to end -------------------------------------------------------------------

SERVICE_S = 0.5  # the surge's process: 2 messages a second
PASS_S = 0.05  # what one pass costs besides processing (its SQS calls)
SURGE_FRESH_RANGE_S = (8, 11)  # the surge's fresh_s
SURGE_EXPIRE_FACTOR = (1.5, 3)  # and its expire_s, as a multiple of fresh_s
BASE_PER_S = 1.0  # the steady stream: half what the consumer serves,
STEADY_CLUMP = 3  # a few messages at a time
SURGE_SERVICE_FRESH = (1.75, 2.25)  # the surge: enough messages to take this many
# times fresh_s to serve, all sent at once
BEFORE_SURGE_S = 3.0
JUDGED_AFTER_FRESH = 1  # new work must be fresh again this many times fresh_s after the surge
STREAM_AFTER_FRESH = 2  # the steady stream goes on this long after the surge (in fresh_s)
THROTTLE_RATE = 0.1  # of the consumer's sends (and of a batch send's entries), refused
SURGE_CALLS = 2000


@dataclass
class Surge:
    """One surge scenario: when each message is sent, and when the surge came."""

    schedule: list[tuple[float, int]]  # (simulated send time, number), in time order
    surge_at_s: float
    surge_size: int
    last_send_s: float
    fresh_s: float

    @property
    def end_s(self) -> float:
        """When the run stops: the last message has had fresh_s to be served."""
        return self.last_send_s + self.fresh_s


def _surge(rng: random.Random, fresh_s: float) -> Surge:
    """A steady stream at half the consumer's pace, and a surge of messages all at once.
    (The stream comes a few messages at a time: as steady for the consumer, and fewer
    passes that find nothing.)"""
    size = round(fresh_s / SERVICE_S * rng.uniform(*SURGE_SERVICE_FRESH))
    last_send_s = BEFORE_SURGE_S + STREAM_AFTER_FRESH * fresh_s
    steady = [clump * STEADY_CLUMP / BASE_PER_S
              for clump in range(int(last_send_s * BASE_PER_S / STEADY_CLUMP) + 1)
              for _ in range(STEADY_CLUMP)]
    times = sorted(steady + [BEFORE_SURGE_S] * size)
    return Surge([(at_s, number) for number, at_s in enumerate(times, start=1)],
                 BEFORE_SURGE_S, size, last_send_s, fresh_s)


def _received_any(entries: list) -> bool:
    return any(isinstance(entry, Call) and entry.operation == "ReceiveMessage"
               and entry.answer.get("Messages") for entry in entries)


def _run_surge(scenario: Scenario, consume_batch, surge: Surge) -> None:
    """Send the surge's messages when they are due, and let the consumer work; after a
    pass that received nothing, the clock moves on to the next message."""
    clock, timeline, due = scenario.clock, scenario.world.timeline, 0
    while clock.now() < surge.end_s:
        ready = []
        while due < len(surge.schedule) and surge.schedule[due][0] <= clock.now():
            ready.append(surge.schedule[due][1])
            due += 1
        if ready:
            scenario.send(ready)
        start = len(timeline)
        consume_batch(scenario.world.sqs, dict(scenario.urls), scenario.process,
                      scenario.world.now, scenario.fresh_s, scenario.expire_s)
        clock.advance(PASS_S)
        if not _received_any(timeline[start:]):
            next_s = surge.schedule[due][0] if due < len(surge.schedule) else surge.end_s
            clock.advance(max(0.0, next_s - clock.now()))


def _first_served(scenario: Scenario) -> dict[int, float]:
    """When each message was first processed (simulated seconds), by number."""
    served: dict[int, float] = {}
    for entry in scenario.world.timeline:
        if isinstance(entry, Served) and entry.number is not None:
            served.setdefault(entry.number, entry.at_s)
    return served


def _expect_fresh_after_surge(scenario: Scenario, surge: Surge) -> None:
    """Every message sent once fresh_s has passed since the surge is served within
    fresh_s of its send."""
    fresh_s, served = scenario.fresh_s, _first_served(scenario)
    since_s = surge.surge_at_s + JUDGED_AFTER_FRESH * fresh_s
    judged = sorted(n for n, sent_s in scenario.sent_at.items() if sent_s >= since_s)
    late = [n for n in judged if served.get(n, float("inf")) - scenario.sent_at[n] > fresh_s]
    example = ""
    if late:
        number = late[0]
        waited = (f"was served {served[number] - scenario.sent_at[number]:.1f} s after it was "
                  "sent" if number in served else "was never served")
        example = (f" (message {number}, sent {scenario.sent_at[number] - surge.surge_at_s:.1f} "
                   f"s after the surge, {waited})")
    expect(not late,
           f"A surge of {surge.surge_size} messages came at once: more than your consumer "
           f"can serve within fresh_s={fresh_s:g} s. From fresh_s after it, new messages "
           f"should be served within fresh_s again; {len(late)} of the {len(judged)} sent "
           f"then were not{example}. Serving the backlog oldest-first makes every new "
           "message wait behind it: move old messages aside, and serve them only when the "
           "main queue is empty.")


def _expect_every_message_accounted_for(scenario: Scenario, refused: str) -> None:
    """Each message sent has exactly one fate: processed once, in the audit queue, or
    waiting in the main or low queue."""
    processed = Counter(entry.number for entry in scenario.world.timeline
                        if isinstance(entry, Served) and entry.number in scenario.sent_at)
    audited = Counter(scenario.numbers_in(AUDIT))
    waiting = Counter(scenario.numbers_in(MAIN) + scenario.numbers_in(LOW))
    fates = processed + audited + waiting
    lost = sorted(set(scenario.sent_at) - set(fates))
    expect(not lost,
           f"{len(lost)} of {len(scenario.sent_at)} messages vanished (e.g. {lost[:5]}): "
           f"neither processed, nor in the audit queue, nor waiting. SQS refused some of "
           f"your sends ({refused}): a message whose copy was not taken must stay where it "
           "is, so that every message ends somewhere you can find it.")
    twice = sorted(n for n, times in fates.items() if times > 1 and n in scenario.sent_at)
    expect(not twice,
           f"{len(twice)} messages had two fates or more (e.g. message {twice[:1]}: "
           f"processed {processed[twice[0]] if twice else 0} time(s), "
           f"{audited[twice[0]] if twice else 0} in the audit queue, "
           f"{waiting[twice[0]] if twice else 0} waiting). Delete each message once it is "
           "handled, and only then; and send a copy only of a message you then delete.")


@varied
def check_surge(consume_batch, *, seed: int) -> None:
    """A steady stream, a surge, the stream again, while SQS refuses some sends: new work
    is fresh again soon after the surge, and every message ends somewhere."""
    rng = random.Random(seed)
    fresh_s = rng.randrange(2 * SURGE_FRESH_RANGE_S[0], 2 * SURGE_FRESH_RANGE_S[1] + 1) / 2
    expire_s = round(fresh_s * rng.uniform(*SURGE_EXPIRE_FACTOR), 1)
    surge = _surge(rng, fresh_s)
    code = rng.choice(sorted(throttling_codes()))
    with _world(SURGE_CALLS, total_max_attempts=1) as world:
        world.faults.rng = random.Random(seed)
        scenario = world.scenario(fresh_s, expire_s, SERVICE_S)
        for operation in ("SendMessage", "SendMessageBatch"):
            world.faults.throttle(operation, rate=THROTTLE_RATE, code=code)
        world.faults.fail_entries("SendMessageBatch", rate=THROTTLE_RATE)
        _run_surge(scenario, consume_batch, surge)
        world.faults.clear()
        _expect_every_message_accounted_for(
            scenario, f"{code}; in a send_message_batch, entries in its Failed list")
        _expect_fresh_after_surge(scenario, surge)

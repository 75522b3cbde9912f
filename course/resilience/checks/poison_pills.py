"""Checks for lab 04: handlers and mappings that survive poison pills, over SQS and Kinesis.

The handlers are run the way Lambda runs them: called directly with events in Lambda's
shape, and by the course's event source mapping emulators over moto queues and streams
seeded with poison pills. The business logic they call (``process``) is the test's: it
fails for good on a pill, with an error of the scenario's choosing, and records every call,
so the checks see exactly what was processed, in which order and how often.

Hidden checks vary their scenarios per submission (``varied``): how many messages and
records, where the pills are and what they raise, function timeouts, shards, names, the
page size of GetRecords. The handlers' contracts are tried on Hypothesis-generated batches
and compared with the reference answers.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import random
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, NoReturn

from botocore.awsrequest import AWSResponse
from botocore.client import BaseClient
from hypothesis import strategies as st

from resilience.aws.facts import (
    LAMBDA_MAX_TIMEOUT_S,
    SQS_BATCH_MAX_ENTRIES,
    SQS_DEFAULT_VISIBILITY_TIMEOUT_S,
    SQS_MAX_RECEIVE_COUNT,
    SQS_MAX_VISIBILITY_TIMEOUT_S,
    SQS_MIN_MAX_RECEIVE_COUNT,
    SQS_VISIBILITY_PER_FUNCTION_TIMEOUT,
    queue_arn,
    stream_arn,
)
from resilience.checks import expect, stop_runaway, varied
from resilience.checks.explain import explain
from resilience.checks.properties import STOPPING_ERRORS, for_all
from resilience.checks.requirements import Requirement
from resilience.clock import SimClock
from resilience.eventsources import (
    POLL_INTERVAL_S,
    REPORT_BATCH_ITEM_FAILURES,
    Function,
    InvalidParameterValue,
    KinesisEventSourceMapping,
    LambdaContext,
    Metrics,
    SqsEventSourceMapping,
    failed_item_ids,
    kinesis_config,
    kinesis_event_record,
    sqs_config,
    sqs_event_record,
)
from resilience.faults import FaultInjector
from resilience.models.poison import POISON, kinesis_handler
from resilience.sandbox import Sandbox, aws_sandbox, drain_queue

LAB = "04-poison-pills"

REQUIREMENTS = (
    Requirement("1.1", "calls `process(body)` once for **every** message, with its body as it "
                "is (a string), even after a failure",
                ("test_sqs_handler_reports_failures", "test_sqs_poison_goes_to_dlq"),
                leaves_open="Messages may be processed in any order."),
    Requirement("1.2", "catches every exception `process` raises, whatever its type, and does "
                "not raise itself", ("test_sqs_handler_reports_failures",
                                     "test_sqs_poison_goes_to_dlq")),
    Requirement("1.3", "returns a partial batch response that names each message whose "
                "`process` raised, by its `messageId`, and no other",
                ("test_sqs_handler_reports_failures", "test_sqs_poison_goes_to_dlq"),
                leaves_open="The failures may be listed in any order; when none failed, any "
                "response Lambda reads as a complete success passes ({'batchItemFailures': "
                "[]}, {} or None)."),
    Requirement("2.1", "a `RedrivePolicy` whose `deadLetterTargetArn` is `dlq_arn`",
                ("test_queue_configuration", "test_sqs_poison_goes_to_dlq")),
    Requirement("2.2", "a `maxReceiveCount` of at least 5",
                ("test_queue_configuration", "test_sqs_poison_goes_to_dlq"),
                leaves_open="Any count of 5 or more passes (SQS takes up to 1,000); the "
                "emulator runs the queue long enough for that many receives."),
    Requirement("2.3", "a `VisibilityTimeout` of at least 6 times `function_timeout_s`",
                ("test_queue_configuration",),
                leaves_open="Any timeout of 6 times the function's or more passes."),
    Requirement("2.4", "Attribute values are strings, and `RedrivePolicy` is a JSON string",
                ("test_queue_configuration",),
                leaves_open="maxReceiveCount may be a number or a string inside the JSON."),
    Requirement("2.5", "parameters Lambda accepts for an SQS queue",
                ("test_sqs_mapping_reports_failures", "test_sqs_poison_goes_to_dlq"),
                leaves_open="Any valid parameter may be added (BatchSize, a batching window, "
                "Enabled, ScalingConfig, filters that keep every message, ...)."),
    Requirement("2.6", "a `FunctionResponseTypes` that asks Lambda to honour partial batch "
                "responses", ("test_sqs_mapping_reports_failures",
                              "test_sqs_poison_goes_to_dlq")),
    Requirement("2.7", "every good message is processed exactly once, and every poison "
                "message ends in the dead-letter queue", ("test_sqs_poison_goes_to_dlq",)),
    Requirement("3.1", "calls `process(data)` with each record's data, base64-decoded to "
                "bytes, once each and in order",
                ("test_kinesis_handler_reports_first_failure", "test_kinesis_handler_cases",
                 "test_kinesis_end_to_end")),
    Requirement("3.2", "at the first failure (any exception), stops: no record after it is "
                "processed, and the handler does not raise",
                ("test_kinesis_handler_reports_first_failure", "test_kinesis_handler_cases",
                 "test_kinesis_end_to_end")),
    Requirement("3.3", "returns that record's `sequenceNumber` in `batchItemFailures`",
                ("test_kinesis_handler_reports_first_failure", "test_kinesis_handler_cases",
                 "test_kinesis_end_to_end"),
                leaves_open="Later, unprocessed records may be reported too: Lambda retries "
                "from the lowest sequence number reported, so the outcome is the same."),
    Requirement("3.4", 'when nothing fails, returns `{"batchItemFailures": []}`',
                ("test_kinesis_handler_reports_first_failure", "test_kinesis_handler_cases")),
    Requirement("4.1", "be parameters Lambda accepts for a Kinesis stream",
                ("test_mapping_settings", "test_mapping_keeps_shard_moving",
                 "test_kinesis_end_to_end"),
                leaves_open="Any valid parameter may be added (BatchSize, bisecting, "
                "ParallelizationFactor, a batching window, filters that keep every record, "
                "Enabled, ...)."),
    Requirement("4.2", "honour your handler's reports (`FunctionResponseTypes`)",
                ("test_mapping_settings", "test_mapping_keeps_shard_moving",
                 "test_kinesis_end_to_end")),
    Requirement("4.3", "bound retries with `MaximumRetryAttempts`, and with "
                "`MaximumRecordAgeInSeconds` as a second bound",
                ("test_mapping_settings", "test_mapping_keeps_shard_moving",
                 "test_kinesis_end_to_end")),
    Requirement("4.4", "keep a shard waiting on a pill for minutes at most",
                ("test_mapping_settings", "test_mapping_keeps_shard_moving",
                 "test_kinesis_end_to_end"),
                leaves_open="Any bounds under which the shard waits 15 minutes at most."),
    Requirement("4.5", "send what it discards to the on-failure destination",
                ("test_mapping_settings", "test_mapping_keeps_shard_moving",
                 "test_kinesis_end_to_end")),
    Requirement("4.6", "start from the oldest record the stream keeps",
                ("test_mapping_settings", "test_mapping_keeps_shard_moving",
                 "test_kinesis_end_to_end"),
                leaves_open="StartingPosition may be left out (the emulator, unlike AWS, "
                "defaults it to TRIM_HORIZON); AT_TIMESTAMP passes if its time comes before "
                "the stream's records."),
    Requirement("5.1", "receive every message from the destination queue",
                ("test_replay_failures", "test_kinesis_end_to_end")),
    Requirement("5.2", "for each message, read the records of its range from the stream",
                ("test_replay_failures", "test_kinesis_end_to_end"),
                leaves_open="Any page size; messages may be received all first or one by "
                "one."),
    Requirement("5.3", "stop after the end of the range, and compare sequence numbers as "
                "integers", ("test_replay_failures", "test_kinesis_end_to_end")),
    Requirement("5.4", "call `process(data)` once on each record in the range, and on no "
                "other", ("test_replay_failures", "test_kinesis_end_to_end")),
    Requirement("5.5", "delete the message once its batch is replayed, and not before",
                ("test_replay_failures",),
                leaves_open="What the replay does when reading fails (raise, skip the "
                "message, retry) is open, as long as the message stays until its records "
                "are processed."),
    Requirement("5.6", "return `[(shard_id, sequence_number), ...]` for the records that "
                "failed again", ("test_replay_failures", "test_kinesis_end_to_end"),
                leaves_open="In any order; lists for tuples pass."),
    Requirement("5.7", "process every good record, again only where a replayed range holds "
                "records already processed, and find every pill",
                ("test_kinesis_end_to_end",)),
)

QUEUE, DLQ = "jobs", "jobs-dlq"
STREAM, DESTINATION = "orders", "orders-failures"
NAMES = ("orders", "payments", "clicks", "shipments", "invoices", "events")  # varied names
LAB_FUNCTION_TIMEOUT_S = 20  # the function timeout of the lab's own examples
SEQUENCE_BASE = 49590338271490256608559692538361571095921575989136588898  # AWS-sized
MAX_STUCK_S = 15 * 60  # a shard may wait on a pill for minutes, not hours (requirement 4.4)
STREAM_FUNCTION_S = 1.0  # the tests' Kinesis function runs a second per batch
STREAM_FUNCTION_TIMEOUT_S = 60
STREAM_RUN_S = 3 * 3600
BURST_EVERY_S = 60  # a stream scenario's producer writes a burst a minute
SHARD_ID = "shardId-000000000000"
HANDLER_EXAMPLES = 10  # generated batches per handler property (a round trip per record)
MAX_BATCH = 8  # records in a generated batch
REPLAY_RUNAWAY_CALLS = 300  # calls a replay of one scenario needs are in the tens
RECORDS_PER_PAGE = 4  # what GetRecords returns at most, in the replay's scenario
MESSAGES_PER_RECEIVE = 2  # what ReceiveMessage returns at most, in the replay's scenario
REPLAYS = 3  # the replay scenario's replays: reads fail in each but the last
EMPTY_PAGE_BEHIND_MS = 4000  # MillisBehindLatest of an empty page that records lie behind
# What process raises on a pill, varied: a handler must catch every one, not only ValueError.
PROCESS_ERRORS: tuple[type[Exception], ...] = (
    ValueError, KeyError, TypeError, RuntimeError, LookupError, ZeroDivisionError,
    AttributeError, UnicodeError)


class Business:
    """The test's business logic: fails for good on a poison pill (with the error the
    scenario chose for it) and records every call, in order."""

    def __init__(self, pills: Mapping[Any, type[Exception]] | None = None) -> None:
        self.pills = dict(pills) if pills is not None else {
            POISON: ValueError, POISON.decode(): ValueError}
        self.calls: list = []

    def __call__(self, data) -> None:
        self.calls.append(data)
        if isinstance(data, (str, bytes)) and data in self.pills:
            raise self.pills[data](f"not an order: {data!r:.40}")

    @property
    def counts(self) -> Counter:
        """Times ``process`` got each string or bytes (``b"x"`` and ``"x"`` differ)."""
        return Counter(call for call in self.calls if isinstance(call, (str, bytes)))


def _context() -> LambdaContext:
    return LambdaContext("00000000-0000-0000-0000-000000000001", 20.0, SimClock())


def _raised(error: BaseException) -> str:
    """An error the learner's code raised, as ``Name: message`` (an error that crossed the
    grader's process boundary by name keeps its name; a KeyError's message is not quoted
    once more)."""
    name = getattr(error, "type_name", type(error).__name__)
    message = getattr(error, "message", None) or (
        error.args[0] if len(error.args) == 1 and isinstance(error.args[0], str) else str(error))
    return f"{name}: {message}" if message else name


def _stopping(error: BaseException) -> bool:
    """Is this an error no check should turn into feedback of its own: the grader's time
    limit, a learner process that ended, or an answer not written yet?"""
    return type(error).__name__ in STOPPING_ERRORS or isinstance(error, NotImplementedError)


def _positions(numbers: list[int]) -> str:
    return ", ".join(str(n + 1) for n in numbers) or "none"


# -- responses -------------------------------------------------------------------------------


def _ids(event: dict, key: str) -> list[str]:
    """Each record's identifier for batchItemFailures: messageId or sequenceNumber."""
    if key == "messageId":
        return [record["messageId"] for record in event["Records"]]
    return [record["kinesis"]["sequenceNumber"] for record in event["Records"]]


def _reported(response, event: dict, key: str, what: str) -> list[str]:
    """The ids a handler's response reports, or a message saying why Lambda would reject it."""
    failed = failed_item_ids(response, _ids(event, key))
    if failed is None:
        other_ids = {r.get("receiptHandle") or r.get("eventID") for r in event["Records"]}
        items = response.get("batchItemFailures") if isinstance(response, dict) else None
        named = {item.get("itemIdentifier") for item in items or []
                 if isinstance(item, dict)} if isinstance(items, list) else set()
        hint = (f" Name each failed record by its {key}, not its receipt handle or event id."
                if named & other_ids else "")
        raise AssertionError(
            f"For {what}, your handler returned {response!r:.200}. Lambda would treat that as "
            "a failure of the whole batch: the response must be "
            f"{{'batchItemFailures': [{{'itemIdentifier': <the record's {key}>}}, ...]}}, "
            "each identifier a string of this batch." + hint)
    return failed


def _run_with(make_handler, event: dict, pills: Mapping, key: str, what: str, raising: str
              ) -> HandlerRun:
    """Build a handler around a fresh ``Business`` and run it on one batch."""
    business = Business(pills)
    return _run_handler(make_handler(business), business, event, key, what, raising)


@dataclass
class HandlerRun:
    """What a handler did with one batch: ``process``'s arguments in order, its response and
    the records the response reports (their positions in the batch)."""

    calls: list
    response: object
    reported: list[int]


def _run_handler(handler, business: Business, event: dict, key: str, what: str,
                 raising: str) -> HandlerRun:
    """Run a handler (built around ``business``) on ``event`` as Lambda does; ``raising``
    says what an uncaught exception would cost. A handler may be run on several batches:
    Lambda reuses it, so it must keep nothing from one batch to the next."""
    already = len(business.calls)
    try:
        response = handler(event, _context())
    except Exception as error:
        if _stopping(error):
            raise
        raise AssertionError(
            f"For {what}, your handler raised {_raised(error)}. {raising}") from None
    ids = _ids(event, key)
    reported = sorted({ids.index(i) for i in _reported(response, event, key, what)})
    return HandlerRun(business.calls[already:], response, reported)


# -- SQS -------------------------------------------------------------------------------------

SQS_RAISING = ("An uncaught exception fails the whole batch: every message, the good ones "
               "too, comes back after the visibility timeout and is processed again. Catch "
               "every failure (any exception) and report it.")


def _message_id(salt: str, number: int) -> str:
    digest = hashlib.md5(f"{salt}message-{number}".encode()).hexdigest()
    return f"{digest[:8]}-{digest[8:12]}-{digest[12:16]}-{digest[16:20]}-{digest[20:]}"


def _sqs_event(bodies: list[str], salt: str = "") -> dict:
    """A Lambda SQS event holding these bodies, with ids as SQS makes them."""
    records = []
    for number, body in enumerate(bodies):
        message_id = _message_id(salt, number)
        records.append(sqs_event_record({
            "MessageId": message_id, "ReceiptHandle": f"AQEB{message_id}{number}",
            "Body": body, "MD5OfBody": hashlib.md5(body.encode()).hexdigest(),
            "Attributes": {"ApproximateReceiveCount": "1", "SentTimestamp": "1767225600000",
                           "SenderId": "AIDAEXAMPLE", "ApproximateFirstReceiveTimestamp":
                           "1767225600000"}}, queue_arn(QUEUE)))
    return {"Records": records}


def _job(number: int) -> str:
    return json.dumps({"job": number})


def _sqs_expected(bodies: list[str], pills: Mapping) -> HandlerRun:
    """What requirements 1.1 to 1.3 ask of a handler for these bodies: each processed once,
    each that raised reported."""
    return HandlerRun(list(bodies), None, [n for n, body in enumerate(bodies) if body in pills])


def _expect_sqs_run(run: HandlerRun, expected: HandlerRun, bodies: list[str], what: str) -> None:
    """The handler processed each message once, as its body, and reported exactly those
    that raised (in any order)."""
    strangers = [call for call in run.calls if call not in bodies]
    if strangers:
        raise AssertionError(
            f"For {what}, process got {strangers[0]!r:.80} ({type(strangers[0]).__name__}); "
            "it should get each message's body as it is, the string in record['body'].")
    got, wanted = Counter(run.calls), Counter(expected.calls)
    never = [n for n, body in enumerate(bodies) if got[body] == 0 < wanted[body]]
    expect(not never,
           f"For {what}, message(s) {_positions(never)} were never processed. Call process "
           "for every message, even after a failure: an SQS batch has no order to keep, and a "
           "message you neither process nor report is deleted as if done.")
    fewer = [n for n, body in enumerate(bodies) if 0 < got[body] < wanted[body]]
    expect(not fewer,
           f"For {what}, messages {_positions(fewer)} have the same body, and process was "
           f"called {got[bodies[fewer[0]]] if fewer else 0} time(s) for the "
           f"{wanted[bodies[fewer[0]]] if fewer else 0} of them. Messages with the same body "
           "(a job sent twice, two equal orders) are still different messages, each with its "
           "own messageId: call process once for every message.")
    twice = [n for n, body in enumerate(bodies) if got[body] > wanted[body]]
    expect(not twice,
           f"For {what}, message(s) {_positions(twice)} were processed more than once. Call "
           "process once a message: Lambda brings back only what you report.")
    missed = sorted(set(expected.reported) - set(run.reported))
    expect(not missed,
           f"For {what}, process raised for message(s) {_positions(expected.reported)}, but "
           f"the response did not name {_positions(missed)}. Every message you do not name "
           "is deleted: a failure left out is lost, never retried, never in the DLQ.")
    extra = sorted(set(run.reported) - set(expected.reported))
    expect(not extra,
           f"For {what}, the response named message(s) {_positions(extra)}, which succeeded "
           f"(process raised only for {_positions(expected.reported)}). A success named "
           "comes back and is processed again.")


def check_sqs_handler_reports_failures(make_sqs_handler) -> None:
    """Failed messages are reported by messageId; the others are processed once, each
    message on its own even when bodies repeat; a batch in which every message fails is
    reported, not raised. One handler takes every batch, as Lambda reuses it."""
    pills = {POISON.decode(): ValueError}
    business = Business(pills)
    handler = make_sqs_handler(business)
    batches = {
        "a batch of five messages with two poison pills (second and fifth)":
            [_job(0), POISON.decode(), _job(2), _job(3), POISON.decode()],
        "the next batch, with no failures": [_job(n) for n in range(5, 8)],
        "a batch of one poison pill": [POISON.decode()],
        "a batch of three messages, every one a poison pill": [POISON.decode()] * 3,
        "a batch of four messages, the first two with the same body (a job sent twice)":
            [_job(8), _job(8), _job(9), POISON.decode()],
    }
    for number, (what, bodies) in enumerate(batches.items()):
        run = _run_handler(handler, business, _sqs_event(bodies, salt=str(number)),
                           "messageId", what, SQS_RAISING)
        _expect_sqs_run(run, _sqs_expected(bodies, pills), bodies, what)


def _batches(data: st.SearchStrategy) -> st.SearchStrategy:
    """Batches of 1 to MAX_BATCH records: each its data and, for about a third of them (a
    pill), the error ``process`` raises on it (None for a good record)."""
    fate = st.sampled_from((None,) * 2 * len(PROCESS_ERRORS) + PROCESS_ERRORS)
    return st.lists(st.tuples(data, fate), min_size=1, max_size=MAX_BATCH)


def _pills_of(batch: list[tuple]) -> dict:
    """The batch's pills: each failing data, with the error process raises on it."""
    return {data: error for data, error in batch if error is not None}


def _show_batch(batch: list[tuple]) -> str:
    """A generated batch, as the failure message shows it."""
    return "[" + ", ".join(f"{data!r:.40}" + (f" (raises {error.__name__})" if error else "")
                           for data, error in batch) + "]"


ODD_BODIES = ("", " ", "null", "[]", '{"job": "7"}', "ünïcödé ✓", "line\nbreak", "a" * 300)
SQS_BODIES = st.one_of(st.integers(0, 10**6).map(_job), st.sampled_from(ODD_BODIES))


@varied
def check_sqs_handler_contract(make_sqs_handler, *, seed: int, reference) -> None:
    """On generated batches (any size, any bodies, pills anywhere raising any error), the
    handler processes and reports exactly what the reference handler does."""
    def prove(batch: list[tuple]) -> None:
        bodies, pills = [body for body, _ in batch], _pills_of(batch)
        event = _sqs_event(bodies, salt=str(len(batch)))
        what = f"a batch of {len(bodies)} message(s)"
        expected = _run_with(reference.make_sqs_handler, event, pills, "messageId", what, "")
        run = _run_with(make_sqs_handler, event, pills, "messageId", what, SQS_RAISING)
        _expect_sqs_run(run, expected, bodies, what)

    for_all(_batches(SQS_BODIES), prove, seed=seed, examples=HANDLER_EXAMPLES,
            show=_show_batch)


# -- the queue -------------------------------------------------------------------------------


def _configure(configure_queue, sqs: BaseClient, url: str, dlq_arn: str, timeout_s: int
               ) -> dict:
    """Run the learner's ``configure_queue`` and read back the queue's attributes."""
    try:
        configure_queue(sqs, url, dlq_arn, timeout_s)
    except Exception as error:
        if _stopping(error):
            raise
        raise AssertionError(
            f"configure_queue(sqs, queue_url, dlq_arn, {timeout_s}) raised {_raised(error)}. "
            "Attribute values are strings (str(...)), and RedrivePolicy is a JSON string "
            "(json.dumps({...})).") from None
    return sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]


def _within_sqs_limits(attributes: dict) -> dict:
    """The queue's redrive policy ({} if it has none, or none SQS could read), once its
    attributes are within the limits SQS itself enforces (moto does not): what a queue
    holds decides how long the emulator runs."""
    visibility_s = int(attributes.get("VisibilityTimeout", SQS_DEFAULT_VISIBILITY_TIMEOUT_S))
    expect(visibility_s <= SQS_MAX_VISIBILITY_TIMEOUT_S,
           f"The visibility timeout is {str(visibility_s):.40} s: SQS refuses more than "
           f"{SQS_MAX_VISIBILITY_TIMEOUT_S} s (12 hours).")
    try:
        policy = json.loads(attributes.get("RedrivePolicy", "{}"))
    except ValueError:
        return {}
    if not isinstance(policy, dict):
        return {}
    receives = int(policy.get("maxReceiveCount", 0))
    expect(receives <= SQS_MAX_RECEIVE_COUNT,
           f"maxReceiveCount is {str(receives):.40}: SQS refuses more than "
           f"{SQS_MAX_RECEIVE_COUNT}.")
    return policy


def _expect_queue_attributes(attributes: dict, timeout_s: int, dlq_arn: str) -> None:
    """The attributes meet requirements 2.1 to 2.4."""
    _within_sqs_limits(attributes)
    visibility_s = int(attributes.get("VisibilityTimeout", SQS_DEFAULT_VISIBILITY_TIMEOUT_S))
    minimum_s = SQS_VISIBILITY_PER_FUNCTION_TIMEOUT * timeout_s
    expect(visibility_s >= minimum_s,
           f"For a function timeout of {timeout_s} s the visibility timeout is "
           f"{visibility_s} s; it should be at least {SQS_VISIBILITY_PER_FUNCTION_TIMEOUT} "
           f"times the function timeout you are given ({minimum_s} s). Under the function "
           "timeout, Lambda refuses the mapping; between 1 and 6 times it, Lambda has too "
           "little time to retry a batch when the function is throttled, and the message "
           "comes back to be processed again.")
    expect("RedrivePolicy" in attributes,
           "The queue has no RedrivePolicy: a poison message is received and fails for ever "
           "(until the queue's retention deletes it). Redrive it to the dead-letter queue.")
    try:
        policy = json.loads(attributes["RedrivePolicy"])
    except ValueError:
        policy = None
    expect(isinstance(policy, dict),
           f"The RedrivePolicy is {attributes['RedrivePolicy']!r:.120}, not a JSON object: "
           "write it with json.dumps({'deadLetterTargetArn': ..., 'maxReceiveCount': ...}).")
    expect(policy.get("deadLetterTargetArn") == dlq_arn,
           f"The RedrivePolicy's deadLetterTargetArn is {policy.get('deadLetterTargetArn')!r}; "
           f"it should be the DLQ's ARN you were given, here {dlq_arn!r}.")
    receives = int(policy.get("maxReceiveCount", 0))
    expect(receives >= SQS_MIN_MAX_RECEIVE_COUNT,
           f"maxReceiveCount is {receives}; AWS recommends at least "
           f"{SQS_MIN_MAX_RECEIVE_COUNT}, so that a message that failed for a passing reason "
           "(a throttle, a timeout) is retried before it is parked in the DLQ.")


@varied
def check_queue_configuration(configure_queue, *, seed: int) -> None:
    """The queue hides messages long enough and redrives poison to the DLQ, whatever the
    function's timeout: the lab's 20 s and a longer one drawn from Lambda's range."""
    rng = random.Random(seed)
    timeouts_s = [LAB_FUNCTION_TIMEOUT_S, rng.randint(LAB_FUNCTION_TIMEOUT_S + 1,
                                                      LAMBDA_MAX_TIMEOUT_S)]
    names = [rng.choice(NAMES) + f"-{n}" for n in range(len(timeouts_s))]
    with aws_sandbox(queues=[q for name in names for q in (name, f"{name}-dlq")],
                     clock=SimClock()) as aws:
        sqs = aws.client("sqs")
        for name, timeout_s in zip(names, timeouts_s, strict=True):
            dlq_arn = aws.queue_arn(f"{name}-dlq")
            attributes = _configure(configure_queue, sqs, aws.queue_urls[name], dlq_arn,
                                    timeout_s)
            _expect_queue_attributes(attributes, timeout_s, dlq_arn)


# -- the SQS mapping -------------------------------------------------------------------------


def _explain_refusal(error: InvalidParameterValue) -> NoReturn:
    """Fail with the words every check gives a mapping Lambda would refuse."""
    raise AssertionError(explain(error)) from None


def check_sqs_mapping(sqs_mapping) -> None:
    """The SQS mapping is one Lambda accepts, and asks it to honour partial batch responses."""
    try:
        config = sqs_config(sqs_mapping())
    except InvalidParameterValue as error:
        _explain_refusal(error)
    expect(REPORT_BATCH_ITEM_FAILURES in config["FunctionResponseTypes"],
           "FunctionResponseTypes does not include 'ReportBatchItemFailures', so Lambda "
           "ignores your handler's batchItemFailures: a reported failure counts as a success "
           "and the message is deleted, never retried, never in the DLQ.")


@dataclass
class QueueScenario:
    """An SQS scenario: the messages (poison among them) and the function's timing."""

    bodies: list[str]
    pills: dict[str, type[Exception]]
    timeout_s: int
    duration_s: float

    @classmethod
    def draw(cls, rng: random.Random) -> QueueScenario:
        count = rng.randint(10, 24)
        pill_at = set(rng.sample(range(count), rng.randint(1, 4)))
        bodies = [f"not a job #%$! {n}" if n in pill_at else _job(n) for n in range(count)]
        pills = {bodies[n]: rng.choice(PROCESS_ERRORS) for n in pill_at}
        timeout_s = rng.randint(3, LAMBDA_MAX_TIMEOUT_S)
        return cls(bodies, pills, timeout_s, round(rng.uniform(0.05, 0.5) * timeout_s, 2))


def _sqs_mapping_over(aws: Sandbox, function: Function, config) -> SqsEventSourceMapping:
    try:
        return SqsEventSourceMapping(aws, QUEUE, function, config)
    except InvalidParameterValue as error:
        _explain_refusal(error)


@varied
def check_sqs_poison_goes_to_dlq(make_sqs_handler, configure_queue, sqs_mapping, *,
                                 seed: int) -> None:
    """Run by the SQS emulator: good jobs done once, poison pills in the DLQ, whatever the
    number of messages, where the pills are, what they raise and the function's timeout."""
    scenario = QueueScenario.draw(random.Random(seed))
    business = Business(scenario.pills)
    clock = SimClock()
    with aws_sandbox(queues=[QUEUE, DLQ], clock=clock) as aws:
        sqs, url = aws.client("sqs"), aws.queue_urls[QUEUE]
        attributes = _configure(configure_queue, sqs, url, aws.queue_arn(DLQ),
                                scenario.timeout_s)
        policy = _within_sqs_limits(attributes)
        for start in range(0, len(scenario.bodies), SQS_BATCH_MAX_ENTRIES):
            sqs.send_message_batch(QueueUrl=url, Entries=[
                {"Id": str(n), "MessageBody": body} for n, body in
                enumerate(scenario.bodies[start:start + SQS_BATCH_MAX_ENTRIES])])
        function = Function(make_sqs_handler(business), timeout_s=scenario.timeout_s,
                            duration_s=scenario.duration_s)
        mapping = _sqs_mapping_over(aws, function, sqs_mapping())
        receives = max(SQS_MIN_MAX_RECEIVE_COUNT, int(policy.get("maxReceiveCount", 0)))
        visibility_s = int(attributes["VisibilityTimeout"])
        mapping.run(until_s=visibility_s * (receives + 2))
        clock.advance(visibility_s + 1)  # what is in flight comes back to be counted
        waiting = drain_queue(sqs, url)
        parked = drain_queue(sqs, aws.queue_urls[DLQ])
    _expect_queue_outcome(scenario, business, mapping.metrics, parked, waiting)


def _expect_queue_outcome(scenario: QueueScenario, business: Business, metrics: Metrics,
                          parked: list[str], waiting: list[str]) -> None:
    """Every good message processed once and deleted; every pill, and only pills, parked."""
    strangers = [call for call in business.calls if call not in scenario.bodies]
    if strangers:
        raise AssertionError(
            f"process got {strangers[0]!r:.80} ({type(strangers[0]).__name__}); it should get "
            "each message's body as it is, the string in record['body'].")
    expect(metrics.invocations,
           "The mapping never invoked your handler in hours: a mapping with Enabled false "
           "polls nothing.")
    goods = [body for body in scenario.bodies if body not in scenario.pills]
    counts = business.counts
    never = [body for body in goods if counts[body] == 0]
    filtered = f" {len(metrics.filtered)} were dropped by FilterCriteria." if (
        metrics.filtered) else ""
    with_pills = sum(body in parked for body in never)
    parked_too = (f" {with_pills} of them were parked in the DLQ with the pills: they came "
                  "back with every failed batch, and were never processed." if with_pills
                  else "")
    expect(not never,
           f"Of {len(goods)} good jobs, {len(never)} were never processed (e.g. "
           f"{never[:1]}).{filtered}{parked_too} A failure in a batch must not stop the other "
           "messages: does the handler raise, or stop at the first failure?")
    again = [body for body in goods if counts[body] > 1]
    expect(not again,
           f"Of {len(goods)} good jobs, {len(again)} were processed more than once (e.g. "
           f"{again[:1]}, {max(counts[body] for body in again) if again else 0} times at "
           "most). With partial batch "
           "responses a pill costs only itself: the good messages of its batch are deleted. "
           "Does the handler raise, or the mapping ignore its reports?")
    expected_pills = sorted(scenario.pills)
    lost = sorted(set(expected_pills) - set(parked) - set(waiting))
    expect(not lost,
           f"{len(lost)} of {len(expected_pills)} poison messages vanished: neither in the "
           "DLQ nor in the queue." + (
               f" FilterCriteria dropped {len(metrics.filtered)} message(s): Lambda deletes "
               "what no filter matches." if metrics.filtered else
               " A pill counted as a success (not reported, or reported to a mapping that "
               "ignores reports) is deleted for good."))
    expect(not waiting,
           f"After every pill was received more than maxReceiveCount times, {len(waiting)} "
           "message(s) still circle in the queue: give it a RedrivePolicy to the DLQ.")
    expect(sorted(parked) == expected_pills,
           f"The DLQ should hold exactly the {len(expected_pills)} poison messages; it holds "
           f"{len(parked)} message(s), {sum(b in scenario.pills for b in parked)} of them "
           "pills.")


# -- Kinesis handler -------------------------------------------------------------------------

KINESIS_RAISING = ("An uncaught exception fails the whole batch: Lambda retries every record "
                   "of it, the good ones again too. Catch the failure (any exception) and "
                   "report the failed record's sequence number instead.")


def _kinesis_event(payloads: list[bytes], first: int = SEQUENCE_BASE, step: int = 1000
                   ) -> dict:
    """A Lambda Kinesis event holding these payloads, with AWS-sized sequence numbers."""
    arn_of_stream = stream_arn(STREAM)
    return {"Records": [kinesis_event_record(
        {"Data": data, "PartitionKey": f"customer-{n % 3}",
         "SequenceNumber": str(first + step * n),
         "ApproximateArrivalTimestamp": 1767225600.0 + n},
        SHARD_ID, arn_of_stream) for n, data in enumerate(payloads)]}


def _order(number: int) -> bytes:
    return json.dumps({"order": number}).encode()


def _kinesis_expected(payloads: list[bytes], pills: Mapping) -> HandlerRun:
    """What requirements 3.1 to 3.4 ask of a handler for these payloads."""
    first = next((n for n, data in enumerate(payloads) if data in pills), None)
    done = payloads if first is None else payloads[:first + 1]
    return HandlerRun(list(done), {"batchItemFailures": []} if first is None else None,
                      [] if first is None else [first])


def _record_numbers(calls: list, event: dict) -> str:
    """Which records of the batch (1-based) a list of ``process`` arguments were."""
    payloads = [base64.b64decode(r["kinesis"]["data"]) for r in event["Records"]]
    return "[" + ", ".join(str(payloads.index(call) + 1) if call in payloads else repr(call)
                           for call in calls) + "]"


def _expect_kinesis_run(run: HandlerRun, expected: HandlerRun, event: dict, what: str
                        ) -> None:
    """The handler processed, in order, the decoded records up to the first failure, and
    reported that record (or returned an empty batchItemFailures)."""
    texts = [call for call in run.calls if not isinstance(call, bytes)]
    if texts:
        encoded = {record["kinesis"]["data"] for record in event["Records"]}
        raise AssertionError(
            f"For {what}, process got {texts[0]!r:.80} ({type(texts[0]).__name__}); it "
            "should get each record's data base64-decoded, as bytes such as "
            "b'{\"order\": 0}'" + (": decode record['kinesis']['data'] with base64.b64decode."
                                   if texts[0] in encoded else ", not decoded any further."))
    done = len(expected.calls)
    extra = run.calls[done:]
    if expected.reported and extra and run.calls[:done] == expected.calls and all(
            call == expected.calls[-1] for call in extra):
        raise AssertionError(
            f"For {what}, process was called {len(extra) + 1} times on record "
            f"{_positions(expected.reported)}, the one that failed. Call it once a record: "
            "report the failure, and Lambda retries from that record as often as your "
            "mapping's MaximumRetryAttempts allows. A pill fails every time: retrying it in "
            "the handler only holds up the shard.")
    if extra and run.calls[:done] == expected.calls:
        raise AssertionError(
            f"For {what}, the handler went on after the failure of record "
            f"{_positions(expected.reported)}: it processed {len(run.calls) - done} more. "
            "Lambda resumes at the failed record, so every record after it comes again on "
            "the retry: processing them now processes them twice. Stop at the first failure.")
    expect(run.calls == expected.calls,
           f"For {what}, process should get records {_record_numbers(expected.calls, event)}"
           " in this order, once each: every record up to and including the first that "
           f"fails. It got records {_record_numbers(run.calls, event)}.")
    if not expected.reported:
        expect(run.response == {"batchItemFailures": []},
               f"For {what}, nothing failed, so the handler should return "
               f"{{'batchItemFailures': []}}; it returned {run.response!r:.120}.")
        return
    pill = expected.reported[0]
    expect(run.reported,
           f"For {what}, record {pill + 1} failed but the response names no record: Lambda "
           "counts the batch a success, and the pill and the records after it are never "
           "retried, nor sent to the destination: lost. Report its sequenceNumber.")
    expect(run.reported[0] == pill,
           f"For {what}, record {pill + 1} failed, but the lowest record the response names "
           f"is record {run.reported[0] + 1 if run.reported else 0}. Lambda checkpoints just "
           "before the lowest sequence number you report and retries from there: report the "
           "failed record's own sequenceNumber.")


def _run_kinesis_batches(make_kinesis_handler, batches: Mapping[str, list[bytes]],
                         pills: Mapping, numbering: Callable[[], dict]) -> None:
    """Run one handler on each batch in turn, as Lambda reuses it; each run does what 3.1
    to 3.4 ask. ``numbering`` gives each batch's first sequence number and step."""
    business = Business(pills)
    handler = make_kinesis_handler(business)
    for what, payloads in batches.items():
        event = _kinesis_event(payloads, **numbering())
        run = _run_handler(handler, business, event, "sequenceNumber", what, KINESIS_RAISING)
        _expect_kinesis_run(run, _kinesis_expected(payloads, pills), event, what)


def check_kinesis_handler_reports_first_failure(make_kinesis_handler) -> None:
    """At the first failure the handler stops and reports that record's sequence number."""
    batches = {"a batch of five with a pill in third place":
               [_order(0), _order(1), POISON, _order(3), _order(4)],
               "the next batch, of four good records": [_order(n) for n in range(5, 9)]}
    firsts = iter([SEQUENCE_BASE, SEQUENCE_BASE + 10**6])
    _run_kinesis_batches(make_kinesis_handler, batches, {POISON: ValueError},
                         lambda: {"first": next(firsts)})


KINESIS_DATA = st.one_of(st.integers(0, 10**6).map(_order), st.binary(min_size=1, max_size=16))
SEQUENCE_NUMBERS = st.tuples(st.integers(10**55, 9 * 10**55), st.integers(1, 10**6))


@varied
def check_kinesis_handler_contract(make_kinesis_handler, *, seed: int, reference) -> None:
    """On generated batches (any data, pills anywhere raising any error), the handler
    processes and reports what the reference handler does."""
    def prove(example: tuple) -> None:
        batch, (first, step) = example
        payloads, pills = [data for data, _ in batch], _pills_of(batch)
        event = _kinesis_event(payloads, first, step)
        what = f"a batch of {len(payloads)} record(s)"
        expected = _run_with(reference.make_kinesis_handler, event, pills,
                             "sequenceNumber", what, "")
        run = _run_with(make_kinesis_handler, event, pills, "sequenceNumber", what,
                        KINESIS_RAISING)
        _expect_kinesis_run(run, expected, event, what)

    for_all(st.tuples(_batches(KINESIS_DATA), SEQUENCE_NUMBERS), prove, seed=seed,
            examples=HANDLER_EXAMPLES, show=lambda example: _show_batch(example[0]))


@varied
def check_kinesis_handler_cases(make_kinesis_handler, *, seed: int) -> None:
    """The edges, one handler for all, as Lambda reuses it: a clean batch reports nothing;
    a pill first, last, alone, or among other pills is reported before anything after it
    is processed."""
    rng = random.Random(seed)
    goods = [_order(n) for n in rng.sample(range(1000), 12)]
    pills = {POISON + f" {n}".encode(): rng.choice(PROCESS_ERRORS) for n in range(4)}
    pill = list(pills)
    size = rng.randint(2, 8)
    cases = {
        f"a clean batch of {size}": goods[:size],
        "a batch that starts with a pill": [pill[0], *goods[:size]],
        "a batch that ends with a pill": [*goods[:size], pill[1]],
        "a batch of one pill": [pill[2]],
        "a batch of one good record": [goods[size]],
        "a batch of pills only": pill[:rng.randint(2, 4)],
        "a batch with two pills": [goods[0], pill[3], *goods[1:size], pill[0], goods[size]],
    }
    _run_kinesis_batches(make_kinesis_handler, cases, pills, lambda: {
        "first": rng.randrange(10**55, 9 * 10**55), "step": rng.randint(1, 10**6)})


# -- Kinesis mapping -------------------------------------------------------------------------


def _expect_valid_kinesis_mapping(config, destination_arn: str) -> dict:
    """The mapping's parameters, checked: Lambda accepts them, they honour reports, bound
    retries and the wait on a pill, and keep a destination (4.1 to 4.5)."""
    try:
        checked = kinesis_config(config)
    except InvalidParameterValue as error:
        _explain_refusal(error)
    expect(REPORT_BATCH_ITEM_FAILURES in checked["FunctionResponseTypes"],
           "FunctionResponseTypes does not include 'ReportBatchItemFailures', so Lambda "
           "ignores the sequence number your handler reports: the batch counts as a success, "
           "and the pill is dropped without a trace.")
    retries, max_age_s = checked["MaximumRetryAttempts"], checked["MaximumRecordAgeInSeconds"]
    expect(retries != -1,
           "MaximumRetryAttempts is -1, AWS's default: a poison pill is retried until it "
           "expires from the stream (24 hours), and its shard is stuck all that time.")
    expect(max_age_s != -1,
           "MaximumRecordAgeInSeconds is -1, AWS's default (no limit): bound the records' age "
           "too, as a second bound on how long a shard can wait.")
    expect(retries * POLL_INTERVAL_S <= MAX_STUCK_S or max_age_s <= MAX_STUCK_S,
           f"MaximumRetryAttempts is {retries} and MaximumRecordAgeInSeconds {max_age_s}: "
           f"Lambda retries a failed batch at the next poll, once a second at best, so a "
           f"shard could wait on a pill for {min(retries, max_age_s) // 60} minutes or more; "
           f"keep it under {MAX_STUCK_S // 60}.")
    expect(checked["StartingPosition"] != "LATEST",
           "StartingPosition is LATEST: the mapping reads only what is written after it is "
           "created, so every record already waiting in the stream (a pill among them, "
           "perhaps) is never processed, nor sent to the destination. Start from the oldest "
           "record the stream keeps: TRIM_HORIZON.")
    destination = checked["DestinationConfig"].get("OnFailure", {}).get("Destination")
    expect(destination == destination_arn,
           "The mapping has no OnFailure destination (the queue ARN you were given): records "
           "it discards would vanish without a trace." if not destination else
           f"The OnFailure destination is {destination!r}; it should be the ARN you were "
           f"given, here {destination_arn!r}.")
    return checked


def _destination_name(rng: random.Random) -> str:
    return f"{rng.choice(NAMES)}-failures-{rng.randrange(100)}"


@varied
def check_mapping_settings(kinesis_mapping, *, seed: int) -> None:
    """The mapping bounds retries, honours reported failures and keeps a destination."""
    arn = queue_arn(_destination_name(random.Random(seed)))
    _expect_valid_kinesis_mapping(kinesis_mapping(arn), arn)


@dataclass
class StreamScenario:
    """A Kinesis scenario: bursts of orders a minute apart, pills among them."""

    shards: int
    bursts: list[list[tuple[bytes, str]]]  # each burst's (data, partition key)
    pills: dict[bytes, type[Exception]]
    destination: str  # the on-failure queue's name

    @classmethod
    def draw(cls, rng: random.Random, max_shards: int, max_burst: int) -> StreamScenario:
        bursts, number = [], 0
        for _ in range(rng.randint(2, 3)):
            size = rng.randint(max_burst // 2, max_burst)
            bursts.append([(_order(number + n), f"customer-{rng.randrange(7)}")
                           for n in range(size)])
            number += size
        pills = {}
        for n in range(rng.randint(1, 4)):
            pill = POISON + f" {n}".encode()
            burst = rng.choice(bursts)
            burst.insert(rng.randint(0, len(burst)), (pill, f"customer-{rng.randrange(7)}"))
            pills[pill] = rng.choice(PROCESS_ERRORS)
        return cls(rng.randint(1, max_shards), bursts, pills, _destination_name(rng))


@dataclass
class StreamRun:
    """What a mapping did with a stream scenario."""

    metrics: Metrics
    written: dict[str, bytes] = field(default_factory=dict)  # eventID -> data

    def ids(self, pills: Mapping, *, pill: bool) -> set[str]:
        """The eventIDs of the pills (or of the good records)."""
        return {event_id for event_id, data in self.written.items() if (data in pills) == pill}


@contextmanager
def _stream_world(scenario: StreamScenario, clock: SimClock | None = None
                  ) -> Iterator[Sandbox]:
    with aws_sandbox(streams={STREAM: scenario.shards}, queues=[scenario.destination],
                     clock=clock or SimClock()) as aws:
        yield aws


def _run_stream(aws: Sandbox, scenario: StreamScenario, handler: Callable, config,
                written_before: int = 0) -> StreamRun:
    """Write the scenario's bursts a minute apart while the mapping runs for hours; the
    first ``written_before`` of them wait in the stream before the mapping is created."""
    kinesis = aws.client("kinesis")
    run = StreamRun(Metrics())

    def write(burst: list[tuple[bytes, str]]) -> None:
        written = kinesis.put_records(StreamName=STREAM, Records=[
            {"Data": data, "PartitionKey": key} for data, key in burst])["Records"]
        for entry, (data, _) in zip(written, burst, strict=True):
            run.written[f"{entry['ShardId']}:{entry['SequenceNumber']}"] = data

    for burst in scenario.bursts[:written_before]:
        write(burst)
    function = Function(handler, timeout_s=STREAM_FUNCTION_TIMEOUT_S,
                        duration_s=STREAM_FUNCTION_S)
    try:
        mapping = KinesisEventSourceMapping(aws, STREAM, function, config)
    except InvalidParameterValue as error:
        _explain_refusal(error)
    for number, burst in enumerate(scenario.bursts[written_before:], start=1):
        mapping.timeline.at(BURST_EVERY_S * number, functools.partial(write, burst))
    run.metrics = mapping.run(until_s=STREAM_RUN_S)
    return run


@varied
def check_mapping_keeps_shard_moving(kinesis_mapping, *, seed: int) -> None:
    """Run by the Kinesis emulator: no shard stuck, every pill sent to the destination,
    whatever the shards, the bursts and where the pills are."""
    scenario = StreamScenario.draw(random.Random(seed), max_shards=2, max_burst=40)
    with _stream_world(scenario) as aws:
        arn = aws.queue_arn(scenario.destination)
        config = _expect_valid_kinesis_mapping(kinesis_mapping(arn), arn)
        run = _run_stream(aws, scenario, kinesis_handler(Business(scenario.pills)), config)
    metrics = run.metrics
    expect(metrics.max_iterator_age_s <= MAX_STUCK_S,
           f"A shard waited on a pill for up to {metrics.max_iterator_age_s / 60:.0f} "
           f"minutes (iterator age); keep it under {MAX_STUCK_S // 60}: bound retries with "
           "MaximumRetryAttempts (each retry waits for the next poll) and the age with "
           "MaximumRecordAgeInSeconds.")
    pills, goods = run.ids(scenario.pills, pill=True), run.ids(scenario.pills, pill=False)
    dropped = (pills | goods) & metrics.filtered
    expect(not dropped,
           f"FilterCriteria dropped {len(dropped)} record(s), "
           f"{len(dropped & pills)} of them pills: Lambda hands a filtered record to no "
           "function and no destination. It is lost without a trace.")
    unsent = pills - set(metrics.discarded)
    expect(not unsent,
           f"{len(pills)} pills were written but {len(unsent)} never reached the on-failure "
           "destination: every pill must end up there, where someone can find it.")
    lost = goods - set(metrics.processed) - set(metrics.discarded)
    expect(not lost, f"{len(lost)} good records were neither processed nor sent to the "
           "destination in three hours.")


# -- replay ----------------------------------------------------------------------------------


Range = tuple[str, int, int]  # a discarded batch: shard id, first and last sequence numbers


@dataclass
class ReplayWorld:
    """A stream whose discarded batches wait in the destination queue, and what they hold."""

    aws: Sandbox
    clock: SimClock
    destination_url: str
    written: dict[tuple[str, int], bytes]  # (shard id, sequence number) -> data
    ranges: list[Range]  # of the messages in the destination
    pills: dict[bytes, type[Exception]]

    @property
    def discarded(self) -> set[tuple[str, int]]:
        return {(shard, number) for shard, first, last in self.ranges
                for number in range(first, last + 1)}

    def pills_found(self) -> list[tuple[str, str]]:
        """(shard id, sequence number) of each discarded pill, as the replay returns them."""
        return sorted(((shard, str(number)) for shard, number in self.discarded
                       if self.written[shard, number] in self.pills), key=repr)


def _write_to_shard(kinesis: BaseClient, stream: str, shard: dict, payloads: list[bytes]
                    ) -> list[int]:
    """Write to one shard (by its first hash key); returns the sequence numbers."""
    return [int(entry["SequenceNumber"]) for entry in kinesis.put_records(
        StreamName=stream, Records=[{"Data": data, "PartitionKey": "replay",
                                     "ExplicitHashKey": shard["HashKeyRange"]["StartingHashKey"]}
                                    for data in payloads])["Records"]]


def _shard_payloads(rng: random.Random, shard: int, batch_size: int, discards: int,
                    pills: dict, *, ends_in_pill: bool) -> list[bytes]:
    """A shard's records, batch by batch: ``discards`` batches hold a pill (and so end in a
    discarded range, from the pill to the batch's end: short ones, for speed), a few hold
    none. The first shard's
    first pill comes before sequence number 10 and more than a page of GetRecords before
    its batch's end, so its range crosses from one digit to two (compared as strings,
    "7" > "12") and spans more than one page. A shard that ``ends_in_pill`` ends with a
    discarded range: a replay must stop there too, where GetRecords returns empty pages."""
    payloads: list[bytes] = []
    kinds = [True] * discards + [False] * rng.randint(1, 2)
    rng.shuffle(kinds)
    kinds.append(ends_in_pill)
    if shard == 0:
        kinds.insert(0, True)
    for number, has_pill in enumerate(kinds):
        batch = [_order(1000 * shard + batch_size * number + n) for n in range(batch_size)]
        if has_pill:
            at = rng.randint(5, min(8, batch_size - 1 - RECORDS_PER_PAGE)) if (
                shard == number == 0) else (
                batch_size - 1 - min(rng.randrange(4), rng.randrange(4)))
            for place in {at, *([rng.randrange(at, batch_size)] if rng.random() < 0.3 else [])}:
                pill = POISON + f" {shard}.{number}.{place}".encode()
                pills[pill] = rng.choice(PROCESS_ERRORS)
                batch[place] = pill
        payloads += batch
    return payloads


def _peek_ranges(sqs: BaseClient, queue_url: str, clock: SimClock) -> list[Range]:
    """The ranges of the invocation records in the destination, read without taking them:
    the messages are visible again once their visibility timeout has passed."""
    ranges = []
    while messages := sqs.receive_message(QueueUrl=queue_url,
                                          MaxNumberOfMessages=SQS_BATCH_MAX_ENTRIES
                                          ).get("Messages", []):
        ranges += [_range_of(message) for message in messages]
    clock.advance(SQS_DEFAULT_VISIBILITY_TIMEOUT_S + 1)
    return ranges


def _range_of(message: dict) -> Range:
    """The range of records a destination message (Lambda's invocation record) names."""
    info = json.loads(message["Body"])["KinesisBatchInfo"]
    return info["shardId"], int(info["startSequenceNumber"]), int(info["endSequenceNumber"])


@contextmanager
def _replay_world(rng: random.Random) -> Iterator[ReplayWorld]:
    """A stream of 2 or 3 shards (named by the scenario) whose mapping discarded 5 or 6
    batches into a destination queue: more than one ReceiveMessage call returns."""
    stream, destination = f"{rng.choice(NAMES)}-{rng.randrange(100)}", _destination_name(rng)
    shards = rng.randint(2, 3)
    batch_size = rng.randint(10, 14)
    discards = [1] * shards
    for _ in range(rng.randint(4, 5) - shards - 1):
        discards[rng.randrange(shards)] += 1
    clock = SimClock()
    with aws_sandbox(streams={stream: shards}, queues=[destination], clock=clock) as aws:
        kinesis = aws.client("kinesis")
        written: dict[tuple[str, int], bytes] = {}
        pills: dict[bytes, type[Exception]] = {}
        for number, shard in enumerate(kinesis.list_shards(StreamName=stream)["Shards"]):
            payloads = _shard_payloads(rng, number, batch_size, discards[number], pills,
                                       ends_in_pill=number == 1)
            for sequence, data in zip(_write_to_shard(kinesis, stream, shard, payloads),
                                      payloads, strict=True):
                written[shard["ShardId"], sequence] = data
        config = {"BatchSize": batch_size, "MaximumRetryAttempts": 0,
                  "FunctionResponseTypes": [REPORT_BATCH_ITEM_FAILURES],
                  "DestinationConfig": {"OnFailure": {
                      "Destination": aws.queue_arn(destination)}}}
        KinesisEventSourceMapping(aws, stream, kinesis_handler(Business(pills)), config).run()
        url = aws.queue_urls[destination]
        yield ReplayWorld(aws, clock, url, written, _peek_ranges(aws.client("sqs"), url, clock),
                          pills)


@dataclass
class Deletion:
    """A message the replay deleted: its range, how many records ``process`` had been given
    by then, and in which replay (1, 2, ...)."""

    range: Range
    calls: int
    replay: int


class DeleteSpy:
    """Watches the learner's SQS client: which range each message it receives names, and
    when it deleted each one."""

    def __init__(self, sqs: BaseClient, business: Business) -> None:
        self.business = business
        self.replay = 1  # the replay under way
        self.ranges: dict[str, Range] = {}  # receipt handle -> range
        self.deleted: list[Deletion] = []
        sqs.meta.events.register("after-call.sqs.ReceiveMessage", self.received)
        for operation in ("DeleteMessage", "DeleteMessageBatch"):
            sqs.meta.events.register(f"provide-client-params.sqs.{operation}", self.deleting)

    def received(self, parsed: dict, **_) -> None:
        for message in parsed.get("Messages", []):
            self.ranges[message["ReceiptHandle"]] = _range_of(message)

    def deleting(self, params: dict, **_) -> None:
        handles = [params.get("ReceiptHandle")] + [
            entry.get("ReceiptHandle") for entry in params.get("Entries", [])]
        self.deleted += [Deletion(self.ranges[handle], len(self.business.calls), self.replay)
                         for handle in handles if handle in self.ranges]


ReadKey = tuple[str, int]  # a range being read: its shard and first sequence number


class ReadSpy:
    """Watches the learner's Kinesis client: for each range it reads (known by the shard and
    sequence number its shard iterator starts at), which iterators start it, how many pages
    of it each replay read, which reads failed, and how many pages held only records past
    the range's end."""

    def __init__(self, kinesis: BaseClient, ranges: list[Range]) -> None:
        self.ends = {(shard, first): last for shard, first, last in ranges}
        self.replay = 1  # the replay under way
        self.reading: dict[str, ReadKey] = {}  # shard iterator -> (shard, first)
        self.fresh: set[str] = set()  # iterators GetShardIterator gave (a range's first read)
        self.asked: dict = {}  # the parameters of the call under way
        self.pages: Counter = Counter()  # (replay, key) -> pages read that held records
        self.failed: list[tuple[int, ReadKey, int]] = []  # (replay, key, pages before it)
        self.beyond: Counter = Counter()  # (shard, first) -> pages wholly past the end
        for operation in ("GetShardIterator", "GetRecords"):
            kinesis.meta.events.register(f"provide-client-params.kinesis.{operation}",
                                         self.asking)
        kinesis.meta.events.register("after-call.kinesis.GetShardIterator", self.iterator)
        kinesis.meta.events.register("after-call.kinesis.GetRecords", self.page)
        kinesis.meta.events.register("after-call-error.kinesis.GetRecords", self.error)

    def asking(self, params: dict, **_) -> None:
        self.asked = dict(params)

    def key(self) -> ReadKey | None:
        """The range the GetRecords call under way reads, if the spy knows it."""
        return self.reading.get(self.asked.get("ShardIterator", ""))

    def iterator(self, parsed: dict, **_) -> None:
        start = str(self.asked.get("StartingSequenceNumber"))
        if start.isdigit() and "ShardIterator" in parsed:
            self.reading[parsed["ShardIterator"]] = (str(self.asked.get("ShardId")), int(start))
            self.fresh.add(parsed["ShardIterator"])

    def error(self, **_) -> None:
        key = self.key()
        if key is not None:
            self.failed.append((self.replay, key, self.pages[self.replay, key]))

    def page(self, parsed: dict, http_response=None, **_) -> None:
        key = self.key()
        if key is None:
            return
        if http_response is not None and http_response.status_code >= 300:
            self.error()
            return
        if parsed.get("NextShardIterator"):
            self.reading[parsed["NextShardIterator"]] = key
        records, end = parsed.get("Records", []), self.ends.get(key)
        if records:
            self.pages[self.replay, key] += 1
        if end is not None and records and int(records[0]["SequenceNumber"]) > end:
            self.beyond[key] += 1

    def read_on(self) -> list[tuple[ReadKey, int]]:
        """The ranges read on for more than the one page that shows the end was passed."""
        return sorted((key, pages) for key, pages in self.beyond.items() if pages > 1)

    def failed_part_way(self) -> list[tuple[int, ReadKey]]:
        """(replay, range) of the reads that failed after a page of the range was read."""
        return [(replay, key) for replay, key, pages in self.failed if pages]


class ReadQuirks:
    """Makes the learner's GetRecords calls meet what Kinesis may answer. The first read of
    each range in ``empty`` gets an empty page while records lie ahead (``MillisBehindLatest``
    above 0: a page may be empty before the records it leads to); and, once armed, the
    first read of a later page of a range (one whose first page was read) is throttled, so
    that a range's read fails part-way."""

    def __init__(self, kinesis: BaseClient, reads: ReadSpy, faults: FaultInjector,
                 empty: set[ReadKey]) -> None:
        self.reads, self.faults, self.empty = reads, faults, empty
        self.tokens: dict[str, tuple[str, tuple[int, ReadKey]]] = {}  # -> (iterator, read)
        self.served: set[tuple[int, ReadKey]] = set()  # (replay, key) given an empty page
        self.followed: set[tuple[int, ReadKey]] = set()  # ... whose next page was asked for
        self.fail_later_page = False
        events = kinesis.meta.events
        events.register_first("provide-client-params.kinesis.GetRecords", self.asking)
        events.register("before-call.kinesis.GetRecords", self.answer)

    def asking(self, params: dict, **_) -> None:
        token = params.get("ShardIterator", "")
        if token in self.tokens:
            params["ShardIterator"], read = self.tokens.pop(token)
            self.followed.add(read)
        key = self.reads.reading.get(params.get("ShardIterator", ""))
        if (self.fail_later_page and key is not None
                and params["ShardIterator"] not in self.reads.fresh
                and self.reads.pages[self.reads.replay, key]):
            self.fail_later_page = False
            self.faults.throttle("GetRecords", first=1)

    def answer(self, **_) -> tuple[AWSResponse, dict] | None:
        iterator = self.reads.asked.get("ShardIterator", "")
        key = self.reads.reading.get(iterator)
        if key is None or key not in self.empty or iterator not in self.reads.fresh:
            return None
        read = (self.reads.replay, key)
        if read in self.served:
            return None
        self.served.add(read)
        token = f"AAAAAAAAAAEmptyPage{len(self.tokens)}{len(self.served)}{iterator[-24:]}"
        self.tokens[token] = (iterator, read)
        return AWSResponse("https://kinesis.emulated", 200, {}, None), {
            "Records": [], "NextShardIterator": token, "MillisBehindLatest": EMPTY_PAGE_BEHIND_MS,
            "ResponseMetadata": {"HTTPStatusCode": 200, "HTTPHeaders": {}, "RetryAttempts": 0}}

    def abandoned(self) -> set[ReadKey]:
        """The ranges whose empty page was the last the replay asked for, in some replay."""
        return {key for _, key in self.served - self.followed}


def _limit_pages(client: BaseClient, operation: str, parameter: str, most: int) -> None:
    """Make ``operation`` return at most ``most`` items a call, as AWS may: GetRecords
    fewer records than asked, ReceiveMessage fewer messages (it samples a few servers). A
    replay must follow NextShardIterator, and receive until the queue is empty."""
    def limit(params: dict, **_) -> None:
        params[parameter] = min(params.get(parameter, most), most)

    service = client.meta.service_model.service_id.hyphenize()
    client.meta.events.register(f"provide-client-params.{service}.{operation}", limit)


def _replay_tolerating_failure(replay: Callable[[], object]) -> tuple[object, bool]:
    """A replay in which reads fail: what it returned (or [] if it raised: the lab leaves a
    replay free to raise when the stream fails it), and whether it raised."""
    try:
        return replay(), False
    except Exception as error:
        if _stopping(error):
            raise
        return [], True


def _as_pairs(result) -> list[tuple[str, str]]:
    """The replay's result as (shard id, sequence number) pairs, or a message saying why it
    is not a list of them."""
    pairs = [tuple(item) if isinstance(item, (list, tuple)) else item
             for item in result or []] if isinstance(result, (list, tuple)) else None
    expect(pairs is not None and all(isinstance(pair, tuple) and len(pair) == 2
                                     for pair in pairs),
           "replay_failures should return a list of (shard id, sequence number) pairs, one for "
           f"each record that failed again ([] if none did); it returned {result!r:.200}.")
    return sorted(pairs or [], key=repr)


def _guarded(client: BaseClient, what: str) -> BaseClient:
    """A client that stops a replay which never stops calling it."""
    stop_runaway(client, what, REPLAY_RUNAWAY_CALLS)
    return client


@varied
def check_replay_failures(replay_failures, *, seed: int) -> None:
    """The replay receives every discarded batch, reads its range from the stream page by
    page, retries each record once, deletes each message once its batch is replayed and
    reports the pills. Reads fail in the first replays: the very first GetRecords, and a
    later page of a range; the message waits for the next replay, and no record is
    processed twice. Some ranges start with an empty page while their records lie ahead."""
    rng = random.Random(seed)
    with _replay_world(rng) as world:
        business = Business(world.pills)
        sqs = _guarded(world.aws.client("sqs"), "the destination queue")
        kinesis = _guarded(world.aws.client("kinesis", total_max_attempts=1),
                           "the stream (does your loop stop after the end of the range?)")
        spy, reads = DeleteSpy(sqs, business), ReadSpy(kinesis, world.ranges)
        _limit_pages(kinesis, "GetRecords", "Limit", RECORDS_PER_PAGE)
        _limit_pages(sqs, "ReceiveMessage", "MaxNumberOfMessages", MESSAGES_PER_RECEIVE)
        faults = FaultInjector(kinesis, world.clock)
        empty = {key[:2] for key in world.ranges if rng.random() < 0.5} or {
            world.ranges[0][:2]}
        quirks = ReadQuirks(kinesis, reads, faults, empty)
        replay = functools.partial(replay_failures, sqs, world.destination_url, kinesis,
                                   business)
        results, raised = [], set()
        for number in range(1, REPLAYS + 1):
            spy.replay = reads.replay = number
            if number == 1:
                faults.drop("GetRecords", first=1)
            quirks.fail_later_page = number < REPLAYS
            if number < REPLAYS:
                result, failed = _replay_tolerating_failure(replay)
                raised |= {number} if failed else set()
            else:
                result = replay()
            results.append(result)
            faults.clear()
            world.clock.advance(SQS_DEFAULT_VISIBILITY_TIMEOUT_S + 1)  # kept messages return
        left = _visible(world.aws.client("sqs"), world.destination_url)
    pills = [pair for result in results
             for pair in _as_pairs(result if isinstance(result, (list, tuple)) else [])]
    _expect_replayed(world, business, spy, reads, quirks)
    read_on = reads.read_on()
    expect(not read_on,
           f"For the range starting at {read_on[0][0] if read_on else ''}, the replay read "
           f"{read_on[0][1] if read_on else 0} pages that held only records past "
           "endSequenceNumber. Stop reading at the first record past the end: the rest of "
           "the shard can be millions of records.")
    # A replay that raised returned nothing: the pills of the batches it had replayed (and
    # deleted) before it raised are excused.
    excused = {(shard, str(number)) for deletion in spy.deleted if deletion.replay in raised
               for shard, first, last in [deletion.range] for number in range(first, last + 1)}
    expected = world.pills_found()
    returned = sorted(pills, key=repr)
    expect(set(returned) <= set(expected) and len(returned) == len(set(returned))
           and set(expected) - set(returned) <= excused,
           "replay_failures should return (shard id, sequence number) for each record that "
           f"failed again, the sequence number a string: here {expected!r:.300}; "
           f"it returned {returned!r:.300} (over {REPLAYS} replays).")
    expect(left == 0, f"{left} message(s) are still in the destination queue: delete each "
           "one once its batch is replayed, or the next replay does it all again.")


def _expect_replayed(world: ReplayWorld, business: Business, spy: DeleteSpy, reads: ReadSpy,
                     quirks: ReadQuirks) -> None:
    """Each message was received and its range replayed once, no record outside it, and no
    message deleted before its records were processed."""
    data = set(world.written.values())
    strangers = [call for call in business.calls if call not in data]
    if strangers:
        raise AssertionError(
            f"The replay gave process {strangers[0]!r:.60}, which is no record's data: give it "
            "record['Data'] as get_records returns it (bytes, already decoded).")
    counts, discarded = business.counts, world.discarded
    missed = sorted(key for key in discarded if counts[world.written[key]] == 0)
    if missed:
        _explain_missed(world, spy, reads, quirks, missed)
    for deletion in spy.deleted:
        shard, first, last = deletion.range
        late = [n for n in range(first, last + 1)
                if world.written[shard, n] not in business.calls[:deletion.calls]]
        expect(not late,
               f"You deleted the message for {shard} {first} to {last} before its records "
               f"{late[:4]} were processed. Delete a message only once its batch is "
               "replayed: if the replay fails in between, the batch is lost for good.")
    outside = sorted(key for key, payload in world.written.items()
                     if key not in discarded and counts[payload])
    expect(not outside,
           f"The replay processed {len(outside)} record(s) outside the discarded ranges "
           f"(from startSequenceNumber to endSequenceNumber), e.g. {outside[:2]}: those were "
           "already processed, so now they are processed twice. Stop after endSequenceNumber, "
           "comparing sequence numbers as integers.")
    twice = sorted(key for key in discarded if counts[world.written[key]] > 1)
    part_way = [(replay, key) for replay, key in reads.failed_part_way()
                if any(shard == key[0] and key[1] <= n <= reads.ends[key]
                       for shard, n in twice)]
    kept = set(world.ranges) - {deletion.range for deletion in spy.deleted}
    expect(not twice or not kept,
           f"{len(twice)} discarded record(s) were processed more than once, e.g. "
           f"{twice[:3]}: {len(kept)} message(s) are still in the destination queue, never "
           "deleted, so every replay did their batches again. Delete each message once its "
           "batch is replayed.")
    expect(not twice or not part_way or not all(
               any(shard == key[0] and key[1] <= n <= reads.ends[key]
                   for _, key in part_way) for shard, n in twice),
           f"{len(twice)} discarded record(s) were processed more than once, e.g. "
           f"{twice[:3]}. In replay {part_way[0][0] if part_way else 0}, reading the range "
           f"{part_way[0][1] if part_way else ''} failed part-way, on a later page "
           "(GetRecords throttled), after process had been given the records of its first "
           "page(s). The message stayed, as it should, and the next replay processed those "
           "records again. Read the whole range before you process any of it.")
    expect(not twice,
           f"{len(twice)} discarded record(s) were processed more than once, e.g. "
           f"{twice[:3]}: call process once a record.")


def _explain_missed(world: ReplayWorld, spy: DeleteSpy, reads: ReadSpy, quirks: ReadQuirks,
                    missed: list[tuple[str, int]]) -> NoReturn:
    """Fail for discarded records never replayed, saying why: a message deleted despite a
    failed read, a read that stopped at an empty page, a message never received, a range
    read from the wrong place, or a replay that stopped at a pill."""
    def holds_missed(key: tuple) -> bool:
        shard, first = key[0], key[1]
        return any(s == shard and first <= n <= reads.ends.get((shard, first), -1)
                   for s, n in missed)

    failed_reads = {(replay, key) for replay, key, _ in reads.failed}
    lost = sorted((deletion.replay, deletion.range) for deletion in spy.deleted
                  if (deletion.replay, deletion.range[:2]) in failed_reads
                  and holds_missed(deletion.range))
    deleted = {deletion.range[:2] for deletion in spy.deleted}
    abandoned = sorted(key for key in quirks.abandoned() if holds_missed(key) and key in deleted)
    unread = set(world.ranges) - set(spy.ranges.values())
    pills = {key for key, data in world.written.items() if data in world.pills}
    counts = spy.business.counts
    after_pill = all(any(s == shard and first <= p < n and (s, p) in pills
                         and counts[world.written[s, p]] for s, p in pills)
                     for shard, n in missed
                     for _, first, _last in [next(r for r in world.ranges
                                                  if r[0] == shard and r[1] <= n <= r[2])])
    starts = {(shard, first) for shard, first, _ in world.ranges}
    if lost:
        replay, (shard, first, last) = lost[0]
        why = (f"In replay {replay}, reading the records of {shard} {first} to {last} failed "
               "(GetRecords throttled, or its connection dropped), yet its message was "
               "deleted: delete a message only once its batch is replayed, so that a failed "
               "read leaves it for the next replay.")
    elif abandoned:
        why = (f"GetRecords answered the first read of the range {abandoned[0]} with an "
               f"empty page, with MillisBehindLatest {EMPTY_PAGE_BEHIND_MS} (records lie "
               "ahead), and the replay read no further. A page may be empty while more "
               "records wait: follow NextShardIterator until past endSequenceNumber. Only an "
               "empty page with MillisBehindLatest 0 says you have caught up with the "
               "shard's tip.")
    elif unread:
        why = (f"{len(unread)} of the {len(world.ranges)} messages in the destination queue "
               "were never received. ReceiveMessage returns at most 10 messages a call (1 by "
               f"default), and often fewer (here at most {MESSAGES_PER_RECEIVE}): call it "
               "until the queue is empty.")
    elif set(missed) <= starts:
        why = ("Each is the first record of its range, startSequenceNumber itself: read "
               "from it with ShardIteratorType AT_SEQUENCE_NUMBER (AFTER_SEQUENCE_NUMBER "
               "starts after it).")
    elif after_pill:
        why = ("Each comes after a record of its range that failed again, and the replay "
               "stopped there. A replay has no retry to leave the rest to: report the pill "
               "and go on to the end of the range.")
    else:
        why = ("For each message, read the shard it names (shardId) from startSequenceNumber "
               "itself (AT_SEQUENCE_NUMBER), and follow NextShardIterator page by page "
               f"(here a page holds at most {RECORDS_PER_PAGE} records) until past "
               "endSequenceNumber, comparing sequence numbers as integers.")
    raise AssertionError(f"{len(missed)} of the {len(world.discarded)} discarded records were "
                         f"never replayed, e.g. {missed[:3]}. {why}")


def _visible(sqs: BaseClient, queue_url: str) -> int:
    """Messages visible in a queue."""
    attributes = sqs.get_queue_attributes(QueueUrl=queue_url,
                                          AttributeNames=["ApproximateNumberOfMessages"])
    return int(attributes["Attributes"]["ApproximateNumberOfMessages"])


# -- end to end ------------------------------------------------------------------------------


@varied
def check_kinesis_end_to_end(make_kinesis_handler, kinesis_mapping, replay_failures, *,
                             seed: int) -> None:
    """Handler, mapping and replay together: every good order processed, duplicates only
    where a replayed range holds records already processed, every pill found."""
    scenario = StreamScenario.draw(random.Random(seed), max_shards=2, max_burst=30)
    business, clock = Business(scenario.pills), SimClock()
    with _stream_world(scenario, clock) as aws:
        arn = aws.queue_arn(scenario.destination)
        config = _expect_valid_kinesis_mapping(kinesis_mapping(arn), arn)
        run = _run_stream(aws, scenario, make_kinesis_handler(business), config,
                          written_before=1)  # records wait in the stream (4.6)
        url = aws.queue_urls[scenario.destination]
        ranges = _peek_ranges(aws.client("sqs"), url, clock)
        result = replay_failures(_guarded(aws.client("sqs"), "the destination queue"), url,
                                 _guarded(aws.client("kinesis"), "the stream"), business)
    expected_pills = sorted((event_id.rsplit(":", 1)[0], event_id.rsplit(":", 1)[1])
                            for event_id in run.ids(scenario.pills, pill=True))
    strangers = [call for call in business.calls if call not in run.written.values()]
    if strangers:
        raise AssertionError(
            f"process got {strangers[0]!r:.80} ({type(strangers[0]).__name__}), which is no "
            "record's data: the handler gives it the base64-decoded bytes of "
            "record['kinesis']['data'], the replay record['Data'] as get_records returns it.")
    counts = business.counts
    goods = sorted(run.ids(scenario.pills, pill=False))
    never = [event_id for event_id in goods if counts[run.written[event_id]] == 0]
    expect(not never,
           f"{len(never)} of {len(goods)} good orders were never processed, neither by the "
           f"mapping nor by the replay (e.g. {never[:2]}).")
    for event_id in goods:
        shard, number = event_id.rsplit(":", 1)
        replays = sum(1 for s, low, high in ranges if s == shard and low <= int(number) <= high)
        allowed = replays + (event_id not in run.metrics.discarded)
        times = counts[run.written[event_id]]
        expect(times <= allowed,
               f"Good order {event_id} was processed {times} times; the mapping and the "
               f"replay account for {allowed}. A handler that stops at the first failure "
               "(and does not raise), and a replay of only the discarded range, process a "
               "record again only where a replayed range holds records already processed.")
    found = sorted(set(_as_pairs(result)))
    expect(found == expected_pills,
           f"{len(expected_pills)} pills were written; the replay reported {found!r:.200}, "
           f"where {expected_pills!r:.200} was expected.")

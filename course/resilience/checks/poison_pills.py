"""Checks for lab 04: handlers and mappings that survive poison pills, over SQS and Kinesis.

The handlers are run the way Lambda runs them: called directly with events in Lambda's
shape, and by the course's event source mapping emulators over moto queues and streams
seeded with poison pills. The business logic they call (``process``) is the test's: it
fails for good on a pill and counts every call, so the checks see exactly what was
processed, and how often.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections import Counter
from contextlib import contextmanager

from botocore.client import BaseClient

from resilience.aws.facts import (
    SQS_DEFAULT_VISIBILITY_TIMEOUT_S,
    SQS_VISIBILITY_PER_FUNCTION_TIMEOUT,
    queue_arn,
    stream_arn,
)
from resilience.checks import expect
from resilience.clock import SimClock
from resilience.eventsources import (
    REPORT_BATCH_ITEM_FAILURES,
    Function,
    InvalidParameterValue,
    KinesisEventSourceMapping,
    LambdaContext,
    SqsEventSourceMapping,
    failed_item_ids,
    kinesis_config,
    kinesis_event_record,
    sqs_config,
    sqs_event_record,
)
from resilience.models.poison import POISON, kinesis_handler
from resilience.sandbox import Sandbox

QUEUE, DLQ = "jobs", "jobs-dlq"
STREAM, DESTINATION = "orders", "orders-failures"
LAB_FUNCTION_TIMEOUT_S = 20
SEQUENCE_BASE = 49590338271490256608559692538361571095921575989136588898  # AWS-sized
MAX_STUCK_S = 15 * 60  # a shard may wait on a pill for minutes, not hours
STREAM_RUN_S = 3 * 3600
QUEUE_RUN_S = 2 * 3600


class Business:
    """The test's business logic: fails for good on a poison pill, counts every call."""

    def __init__(self) -> None:
        self.calls: Counter = Counter()

    def __call__(self, data):
        self.calls[data] += 1
        if data in (POISON, POISON.decode()):
            raise ValueError("not an order: the record can never be parsed")


def _context() -> LambdaContext:
    return LambdaContext("00000000-0000-0000-0000-000000000001", 20.0, SimClock())


# -- SQS -------------------------------------------------------------------------------------


def _sqs_event(bodies: list[str]) -> dict:
    """A Lambda SQS event holding these bodies, with ids as SQS makes them."""
    records = []
    for number, body in enumerate(bodies):
        digest = hashlib.md5(f"message-{number}".encode()).hexdigest()
        message_id = f"{digest[:8]}-{digest[8:12]}-{digest[12:16]}-{digest[16:20]}-{digest[20:]}"
        records.append(sqs_event_record({
            "MessageId": message_id, "ReceiptHandle": f"AQEB{digest}{number}", "Body": body,
            "MD5OfBody": hashlib.md5(body.encode()).hexdigest(),
            "Attributes": {"ApproximateReceiveCount": "1", "SentTimestamp": "1767225600000",
                           "SenderId": "AIDAEXAMPLE", "ApproximateFirstReceiveTimestamp":
                           "1767225600000"}}, queue_arn(QUEUE)))
    return {"Records": records}


def _job(number: int) -> str:
    return json.dumps({"job": number})


def _ids(event: dict, key: str) -> list[str]:
    """Each record's identifier for batchItemFailures: messageId or sequenceNumber."""
    if key == "messageId":
        return [record["messageId"] for record in event["Records"]]
    return [record["kinesis"]["sequenceNumber"] for record in event["Records"]]


def _expect_valid_response(response, event: dict, key: str, what: str) -> list[str]:
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
            f"{{'batchItemFailures': [{{'itemIdentifier': <the record's {key}>}}, ...]}}."
            + hint)
    return failed


def check_sqs_handler_reports_failures(make_sqs_handler) -> None:
    """Failed messages are reported by messageId; the others are processed once."""
    business = Business()
    bodies = [_job(0), POISON.decode(), _job(2), _job(3), POISON.decode()]
    event = _sqs_event(bodies)
    handler = make_sqs_handler(business)
    try:
        response = handler(event, _context())
    except Exception as exc:
        expect(False, f"Your handler raised {type(exc).__name__}: {exc}. An uncaught exception "
               "fails the whole batch: every message, the good ones too, comes back after the "
               "visibility timeout and is processed again. Catch the failure and report it.")
    failed = _expect_valid_response(response, event, "messageId",
                                    "a batch with two poison pills")
    expected = [event["Records"][1]["messageId"], event["Records"][4]["messageId"]]
    expect(sorted(failed) == sorted(expected),
           f"Two of five messages failed, so the response should name exactly those two by "
           f"messageId; it named {len(failed)}. Every message you do not name is deleted: a "
           "failure left out is lost, a success named is processed again.")
    goods = [body for body in bodies if body != POISON.decode()]
    expect(all(business.calls[body] == 1 for body in goods),
           "Every good message should be processed exactly once, even after a poison pill "
           f"(counts: {[business.calls[b] for b in goods]}). A failure in one message must not "
           "stop the others: an SQS batch has no order to keep.")
    business_ok = Business()
    clean = _sqs_event([_job(n) for n in range(3)])
    expect(_expect_valid_response(make_sqs_handler(business_ok)(clean, _context()), clean,
                                  "messageId", "a batch with no failures") == [],
           "When every message succeeds, report no failures (an empty batchItemFailures).")


def check_queue_configuration(configure_queue) -> None:
    """The queue hides messages long enough and redrives poison to the DLQ."""
    from resilience.sandbox import aws_sandbox

    with aws_sandbox(queues=[QUEUE, DLQ], clock=SimClock()) as aws:
        sqs = aws.client("sqs")
        configure_queue(sqs, aws.queue_urls[QUEUE], aws.queue_arn(DLQ), LAB_FUNCTION_TIMEOUT_S)
        attributes = sqs.get_queue_attributes(QueueUrl=aws.queue_urls[QUEUE],
                                              AttributeNames=["All"])["Attributes"]
    visibility_s = int(attributes.get("VisibilityTimeout", SQS_DEFAULT_VISIBILITY_TIMEOUT_S))
    minimum_s = SQS_VISIBILITY_PER_FUNCTION_TIMEOUT * LAB_FUNCTION_TIMEOUT_S
    expect(visibility_s >= minimum_s,
           f"For a function timeout of {LAB_FUNCTION_TIMEOUT_S} s the visibility timeout is "
           f"{visibility_s} s; AWS asks for at least {SQS_VISIBILITY_PER_FUNCTION_TIMEOUT} "
           f"times the function timeout ({minimum_s} s). Shorter, and a message reappears "
           "while an invocation still works on it (or Lambda retries it after a throttle), "
           "and is processed twice.")
    expect("RedrivePolicy" in attributes,
           "The queue has no RedrivePolicy: a poison message is received and fails for ever "
           "(until the queue's retention deletes it). Redrive it to the dead-letter queue.")
    policy = json.loads(attributes["RedrivePolicy"])
    expect(policy.get("deadLetterTargetArn") == aws.queue_arn(DLQ),
           f"The RedrivePolicy's deadLetterTargetArn is {policy.get('deadLetterTargetArn')!r}; "
           "it should be the DLQ's ARN you were given.")
    receives = int(policy.get("maxReceiveCount", 0))
    expect(receives >= 5,
           f"maxReceiveCount is {receives}; AWS recommends at least 5, so that a message that "
           "failed for a passing reason (a throttle, a timeout) is retried before it is "
           "parked in the DLQ.")


def check_sqs_mapping(sqs_mapping) -> None:
    """The SQS mapping asks Lambda to honour partial batch responses."""
    config = sqs_mapping()
    try:
        config = sqs_config(config)
    except InvalidParameterValue as exc:
        expect(False, f"Lambda would refuse this mapping: {exc}")
    expect(REPORT_BATCH_ITEM_FAILURES in config["FunctionResponseTypes"],
           "FunctionResponseTypes does not include 'ReportBatchItemFailures', so Lambda "
           "ignores your handler's batchItemFailures: a reported failure counts as a success "
           "and the message is deleted, never retried, never in the DLQ.")


@contextmanager
def _queue_world():
    from resilience.sandbox import aws_sandbox

    with aws_sandbox(queues=[QUEUE, DLQ], clock=SimClock()) as aws:
        yield aws, aws.client("sqs")


def check_sqs_poison_goes_to_dlq(make_sqs_handler, configure_queue, sqs_mapping) -> None:
    """Run by the SQS emulator: good jobs done once, poison pills in the DLQ."""
    business = Business()
    with _queue_world() as (aws, sqs):
        url = aws.queue_urls[QUEUE]
        configure_queue(sqs, url, aws.queue_arn(DLQ), LAB_FUNCTION_TIMEOUT_S)
        bodies = [POISON.decode() if n % 10 == 7 else _job(n) for n in range(40)]
        for body in bodies:
            sqs.send_message(QueueUrl=url, MessageBody=body)
        function = Function(make_sqs_handler(business), timeout_s=LAB_FUNCTION_TIMEOUT_S,
                            duration_s=2.0)
        mapping = SqsEventSourceMapping(aws, QUEUE, function, sqs_mapping())
        mapping.run(until_s=QUEUE_RUN_S)
        parked, waiting = mapping.queue_depth(aws.queue_urls[DLQ]), mapping.queue_depth(url)
    goods = [b for b in bodies if b != POISON.decode()]
    done_once = sum(business.calls[b] == 1 for b in goods)
    expect(done_once == len(goods),
           f"Of {len(goods)} good jobs, {done_once} were processed exactly once; "
           f"{sum(business.calls[b] == 0 for b in goods)} never and "
           f"{sum(business.calls[b] > 1 for b in goods)} more than once. With partial batch "
           "responses a pill costs only itself: its batch's good messages are deleted.")
    expect(parked == 4 and waiting == 0,
           f"Four poison pills should end in the DLQ after two hours, and the queue be empty; "
           f"the DLQ holds {parked} and the queue {waiting}.")


# -- Kinesis ---------------------------------------------------------------------------------


def _kinesis_event(payloads: list[bytes]) -> dict:
    """A Lambda Kinesis event holding these payloads, with AWS-sized sequence numbers."""
    arn_of_stream = stream_arn(STREAM)
    return {"Records": [kinesis_event_record(
        {"Data": data, "PartitionKey": f"customer-{n % 3}",
         "SequenceNumber": str(SEQUENCE_BASE + 1000 * n),
         "ApproximateArrivalTimestamp": 1767225600.0 + n},
        "shardId-000000000000", arn_of_stream) for n, data in enumerate(payloads)]}


def _order(number: int) -> bytes:
    return json.dumps({"order": number}).encode()


def _call_kinesis_handler(handler, event: dict, what: str):
    try:
        return handler(event, _context())
    except Exception as exc:
        expect(False, f"For {what}, your handler raised {type(exc).__name__}: {exc}. An "
               "uncaught exception fails the whole batch: Lambda retries every record of it, "
               "the good ones again too. Report the failed record's sequence number instead.")


def check_kinesis_handler_reports_first_failure(make_kinesis_handler) -> None:
    """At the first failure the handler stops and reports that record's sequence number."""
    business = Business()
    payloads = [_order(0), _order(1), POISON, _order(3), _order(4)]
    event = _kinesis_event(payloads)
    response = _call_kinesis_handler(make_kinesis_handler(business), event,
                                     "a batch with a pill in third place")
    failed = _expect_valid_response(response, event, "sequenceNumber", "a batch with a pill")
    numbers = [r["kinesis"]["sequenceNumber"] for r in event["Records"]]
    expect(business.calls[_order(0)] == 1 and business.calls[_order(1)] == 1,
           "The records before the pill should be processed once each, with their data "
           "base64-decoded (process gets bytes such as b'{\"order\": 0}'); got calls for "
           f"{sorted(business.calls, key=str)[:3]!r:.150}.")
    expect(failed and min(numbers.index(n) for n in failed) == 2,
           "The response should name the pill's sequence number (the third record): Lambda "
           "checkpoints just before the lowest sequence number you report and retries from "
           f"there. You reported positions {sorted(numbers.index(n) for n in failed)}.")
    expect(business.calls[_order(3)] == 0 and business.calls[_order(4)] == 0,
           "The handler went on after the failure. Lambda resumes at the failed record, so "
           "every record after it comes again on the retry: processing them now processes "
           "them twice. Stop at the first failure.")


def _sequence_numbers(failed: list[str], event: dict) -> list[int]:
    numbers = [r["kinesis"]["sequenceNumber"] for r in event["Records"]]
    return sorted(numbers.index(n) for n in failed)


def check_kinesis_handler_cases(make_kinesis_handler) -> None:
    """No failure reports nothing; a pill first is reported before anything is processed."""
    business = Business()
    clean = _kinesis_event([_order(n) for n in range(4)])
    response = _call_kinesis_handler(make_kinesis_handler(business), clean, "a clean batch")
    expect(_expect_valid_response(response, clean, "sequenceNumber", "a clean batch") == [],
           "When every record succeeds, report no failures (an empty batchItemFailures).")
    expect(all(business.calls[_order(n)] == 1 for n in range(4)),
           "Every record of a clean batch should be processed exactly once.")
    first = _kinesis_event([POISON, _order(10), _order(11)])
    business = Business()
    response = _call_kinesis_handler(make_kinesis_handler(business), first,
                                     "a batch that starts with a pill")
    failed = _expect_valid_response(response, first, "sequenceNumber", "a batch led by a pill")
    expect(failed and _sequence_numbers(failed, first)[0] == 0
           and business.calls[_order(10)] == 0,
           "With the pill first, report its sequence number and process nothing else: the "
           "retry starts at the pill.")


def _expect_valid_kinesis_mapping(config, destination_arn: str) -> dict:
    try:
        checked = kinesis_config(config)
    except InvalidParameterValue as exc:
        expect(False, f"Lambda would refuse this mapping: {exc}")
    expect(checked["DestinationConfig"].get("OnFailure", {}).get("Destination")
           == destination_arn,
           "The mapping has no OnFailure destination (the queue ARN you were given): records "
           "it discards would vanish without a trace.")
    expect(checked["MaximumRetryAttempts"] != -1,
           "MaximumRetryAttempts is -1, AWS's default: a poison pill is retried until it "
           "expires from the stream (24 hours), and its shard is stuck all that time.")
    expect(REPORT_BATCH_ITEM_FAILURES in checked["FunctionResponseTypes"],
           "FunctionResponseTypes does not include 'ReportBatchItemFailures', so Lambda "
           "ignores the sequence number your handler reports: the batch counts as a success, "
           "and the pill is dropped without a trace.")
    return checked


def check_mapping_settings(kinesis_mapping) -> None:
    """The mapping bounds retries, honours reported failures and keeps a destination."""
    arn = queue_arn(DESTINATION)
    _expect_valid_kinesis_mapping(kinesis_mapping(arn), arn)


@contextmanager
def _stream_world(shards: int = 1):
    from resilience.sandbox import aws_sandbox

    with aws_sandbox(streams={STREAM: shards}, queues=[DESTINATION], clock=SimClock()) as aws:
        yield aws


def _seed_stream(aws: Sandbox, size: int = 60, pills=((0, 17), (2, 40))):
    """Bursts of orders a minute apart, with pills at (burst, index); returns every payload
    in order."""
    kinesis, payloads = aws.client("kinesis"), list[bytes]()

    def write(burst: int) -> None:
        data = [POISON if (burst, i) in pills else _order(burst * size + i)
                for i in range(size)]
        kinesis.put_records(StreamName=STREAM, Records=[
            {"Data": d, "PartitionKey": f"customer-{i % 7}"} for i, d in enumerate(data)])
        payloads.extend(data)

    return payloads, write


def _run_stream(aws: Sandbox, handler, config, bursts: int = 3):
    payloads, write = _seed_stream(aws)
    function = Function(handler, timeout_s=60, duration_s=1.0)
    mapping = KinesisEventSourceMapping(aws, STREAM, function, config)
    for burst in range(bursts):
        mapping.timeline.at(60 * burst, functools.partial(write, burst))
    metrics = mapping.run(until_s=STREAM_RUN_S)
    return mapping, metrics, payloads


def check_mapping_keeps_shard_moving(kinesis_mapping) -> None:
    """Run by the Kinesis emulator: no shard stuck, every pill sent to the destination."""
    with _stream_world() as aws:
        arn = aws.queue_arn(DESTINATION)
        config = _expect_valid_kinesis_mapping(kinesis_mapping(arn), arn)
        _, metrics, payloads = _run_stream(aws, kinesis_handler(Business()), config)
    expect(metrics.max_iterator_age_s <= MAX_STUCK_S,
           f"The shard waited on a pill for up to {metrics.max_iterator_age_s / 60:.0f} "
           f"minutes (iterator age); keep it under {MAX_STUCK_S // 60}: bound retries with "
           "MaximumRetryAttempts (each retry waits for the next poll) and the age with "
           "MaximumRecordAgeInSeconds.")
    expect(metrics.lost_to_expiry == 0,
           f"{metrics.lost_to_expiry} records expired from the stream unprocessed.")
    pills = sum(p == POISON for p in payloads)
    expect(len(metrics.discarded) >= pills and metrics.sent_to_destination >= 1,
           f"{pills} pills were written but only {len(metrics.discarded)} records were "
           "discarded to the destination: every pill must end up there, where someone can "
           "find it.")


def check_replay_failures(replay_failures) -> None:
    """The replay fetches discarded records from the stream, retries them, reports pills."""
    business = Business()
    with _stream_world() as aws:
        arn = aws.queue_arn(DESTINATION)
        config = {"FunctionResponseTypes": [REPORT_BATCH_ITEM_FAILURES],
                  "MaximumRetryAttempts": 1, "DestinationConfig": {"OnFailure": {
                      "Destination": arn}}}
        kinesis = aws.client("kinesis")

        def write(payloads):
            return kinesis.put_records(StreamName=STREAM, Records=[
                {"Data": p, "PartitionKey": "customer-1"} for p in payloads])["Records"]

        write([_order(100 + n) for n in range(5)])  # sequence numbers 1 to 5: processed
        written = []
        mapping = KinesisEventSourceMapping(aws, STREAM, kinesis_handler(Business()), config)
        mapping.timeline.after(10, lambda: written.extend(
            write([_order(0), POISON, _order(2), _order(3)])))  # 6 to 9: 7 to 9 discarded
        mapping.run()
        pill_number = written[1]["SequenceNumber"]
        write([_order(4), _order(5)])  # 10 and 11, after the discarded range
        sqs = aws.client("sqs")
        pills = replay_failures(sqs, aws.queue_urls[DESTINATION], kinesis, business)
        # what was received but kept reappears
        aws.clock.advance(SQS_DEFAULT_VISIBILITY_TIMEOUT_S + 1)
        left = _visible(sqs, aws.queue_urls[DESTINATION])
    expect(business.calls[_order(2)] == 1 and business.calls[_order(3)] == 1,
           "The two good records discarded with the pill should be processed once each by "
           f"the replay; counts: {business.calls[_order(2)]} and {business.calls[_order(3)]}. "
           "Read them from the stream with GetShardIterator(AT_SEQUENCE_NUMBER="
           "startSequenceNumber) and GetRecords, up to endSequenceNumber.")
    expect(business.calls[_order(0)] == 0 and business.calls[_order(4)] == 0,
           "The replay processed records outside the discarded range (from "
           "startSequenceNumber to endSequenceNumber): those were already processed, so now "
           "they are processed twice.")
    named = [tuple(p) if isinstance(p, (list, tuple)) else p for p in pills or []]
    expect(named == [("shardId-000000000000", pill_number)],
           "replay_failures should return [(shard id, sequence number)] for each record "
           f"that failed again: here [('shardId-000000000000', '{pill_number}')]; it "
           f"returned {pills!r:.200}.")
    expect(left == 0, f"{left} message(s) are still in the destination queue: delete each "
           "one once its batch is replayed, or the next replay does it all again.")


def _visible(sqs: BaseClient, queue_url: str) -> int:
    """Messages visible in a queue."""
    attributes = sqs.get_queue_attributes(QueueUrl=queue_url,
                                          AttributeNames=["ApproximateNumberOfMessages"])
    return int(attributes["Attributes"]["ApproximateNumberOfMessages"])


def check_kinesis_end_to_end(make_kinesis_handler, kinesis_mapping, replay_failures) -> None:
    """Handler, mapping and replay together: every good order processed, every pill found."""
    business = Business()
    with _stream_world() as aws:
        arn = aws.queue_arn(DESTINATION)
        _, metrics, payloads = _run_stream(aws, make_kinesis_handler(business),
                                           kinesis_mapping(arn))
        pills = replay_failures(aws.client("sqs"), aws.queue_urls[DESTINATION],
                                aws.client("kinesis"), business)
    goods = [p for p in payloads if p != POISON]
    missing = [p for p in goods if business.calls[p] == 0]
    expect(not missing, f"{len(missing)} of {len(goods)} good orders were never processed, "
           "neither by the mapping nor by the replay.")
    extra = sum(business.calls[p] - 1 for p in goods)
    expect(extra <= len(goods) // 10,
           f"Good orders were processed {extra} extra times in all (for {len(goods)} "
           "orders). A handler that stops at the first failure, and a replay of only the "
           "discarded range, keep duplicates rare.")
    expect(len(pills or []) == sum(p == POISON for p in payloads),
           f"{sum(p == POISON for p in payloads)} pills were written; the replay reported "
           f"{len(pills or [])}.")

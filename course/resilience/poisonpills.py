"""Chapter 4's scenarios: one poison pill in a Kinesis shard or an SQS queue, run through the
event source mapping emulators under the settings a learner chooses.

``shard_story`` replays the seed's story: a producer writes to one shard all day, one record
can never be processed, and the mapping's settings decide whether the shard is stuck for a
day (AWS's defaults) or moves on at once. ``queue_story`` does the same for an SQS queue
with a dead-letter queue. Both are deterministic and cached, so a widget redraws at once
when a setting comes back.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from functools import lru_cache

from resilience.clock import SimClock
from resilience.eventsources import (
    Function,
    KinesisEventSourceMapping,
    Metrics,
    SqsEventSourceMapping,
)
from resilience.progress import steps
from resilience.sandbox import aws_sandbox

POISON = b'{"order": "#%$!'  # a record no parser will ever accept
STREAM = "orders"
DESTINATION = "orders-failures"
QUEUE = "jobs"
DLQ = "jobs-dlq"
STORY_HOURS = 30  # long enough to see a day of retries end, and what follows
BURST_EVERY_S = 600  # the story's producer writes a burst every 10 minutes...
BURST_RECORDS = 20  # ...of 20 records: 2 a minute, few enough that a run takes a second
STORY_BATCH_SIZE = 10
POISON_BURST = 3  # the pill comes in the burst at 30 minutes...
POISON_INDEX = 3  # ...as its fourth record
HEADROOM = 1.5  # the function's capacity over the producer's rate (records a second)
FUNCTION_TIMEOUT_S = 900  # Lambda's maximum: the story's function is slow, not stuck
SAMPLE_S = 600  # the story's figures sample every 10 minutes


class PoisonRecord(ValueError):
    """A record that can never be processed, however often it is retried."""


def parse_order(data: bytes) -> dict:
    """The story's business logic: parse an order, or fail for good on a poison pill."""
    try:
        return json.loads(data)
    except ValueError:
        raise PoisonRecord(f"not an order: {data[:20]!r}") from None


def kinesis_handler(process=parse_order, *, report: bool = True):
    """A Kinesis handler that processes records in order and, at the first failure, stops
    and reports that record's sequence number (with ``report``), or raises (without)."""

    def handler(event, context):
        for record in event["Records"]:
            try:
                process(base64.b64decode(record["kinesis"]["data"]))
            except Exception:
                if not report:
                    raise
                return {"batchItemFailures": [
                    {"itemIdentifier": record["kinesis"]["sequenceNumber"]}]}
        return {"batchItemFailures": []}

    return handler


def sqs_handler(process=parse_order, *, report: bool = True):
    """An SQS handler that tries every message and reports the ones that failed by
    messageId (with ``report``), or raises at the first failure (without)."""

    def handler(event, context):
        failures = []
        for record in event["Records"]:
            try:
                process(record["body"].encode())
            except Exception:
                if not report:
                    raise
                failures.append({"itemIdentifier": record["messageId"]})
        return {"batchItemFailures": failures}

    return handler


def _seconds_per_record(headroom: float) -> float:
    """What the story's function spends on one record, for a capacity of ``headroom`` times
    the producer's rate (it calls a slow partner API for each order)."""
    return BURST_EVERY_S / BURST_RECORDS / headroom


@dataclass
class Story:
    """What a scenario did: the mapping's metrics and the series the figures draw."""

    metrics: Metrics
    written: int  # good records (or messages) written
    bad: int  # poison pills written
    good_processed: int
    sample_h: list[float] = field(default_factory=list)
    iterator_age_h: list[float] = field(default_factory=list)  # the worst in each sample
    processed: list[int] = field(default_factory=list)  # records processed by each sample
    lost: list[int] = field(default_factory=list)  # records expired unprocessed by then
    destination: int = 0  # invocation records (Kinesis) or messages (SQS DLQ) kept aside


def _kinesis_config(max_retries, max_age_s, bisect, report, destination) -> dict:
    config = {"BatchSize": STORY_BATCH_SIZE, "MaximumRetryAttempts": max_retries,
              "MaximumRecordAgeInSeconds": max_age_s, "BisectBatchOnFunctionError": bisect}
    if report:
        config["FunctionResponseTypes"] = ["ReportBatchItemFailures"]
    if destination:
        config["DestinationConfig"] = {"OnFailure": {
            "Destination": f"arn:aws:sqs:us-east-1:123456789012:{DESTINATION}"}}
    return config


@lru_cache(maxsize=64)
def shard_story(max_retries: int = -1, max_age_s: int = -1, bisect: bool = False,
                report: bool = False, destination: bool = False, headroom: float = HEADROOM,
                hours: float = STORY_HOURS) -> Story:
    """One shard, a steady producer, one poison pill: run the mapping with these settings
    (AWS's defaults unless changed) for ``hours`` of simulated time."""
    clock = SimClock()
    with aws_sandbox(streams={STREAM: 1}, queues=[DESTINATION], clock=clock) as aws:
        kinesis = aws.client("kinesis")
        per_record_s = _seconds_per_record(headroom)
        function = Function(kinesis_handler(report=report), timeout_s=FUNCTION_TIMEOUT_S,
                            duration_s=lambda event: per_record_s * len(event["Records"]))
        mapping = KinesisEventSourceMapping(
            aws, STREAM, function,
            _kinesis_config(max_retries, max_age_s, bisect, report, destination))
        bursts = int(hours * 3600 / BURST_EVERY_S)
        good_ids: set[str] = set()

        def produce(burst: int = 0) -> None:
            records = [{"Data": POISON if (burst, i) == (POISON_BURST, POISON_INDEX) else
                        json.dumps({"order": burst * BURST_RECORDS + i}).encode(),
                        "PartitionKey": f"customer-{i}"} for i in range(BURST_RECORDS)]
            answer = kinesis.put_records(StreamName=STREAM, Records=records)
            good_ids.update(f"{entry['ShardId']}:{entry['SequenceNumber']}"
                            for record, entry in zip(records, answer["Records"], strict=True)
                            if record["Data"] != POISON)
            if burst + 1 < bursts:
                mapping.timeline.after(BURST_EVERY_S, lambda: produce(burst + 1))

        mapping.timeline.at(0, produce)
        story = Story(mapping.metrics, written=bursts * BURST_RECORDS - 1, bad=1,
                      good_processed=0)
        for end_s in steps(range(SAMPLE_S, int(hours * 3600) + 1, SAMPLE_S),
                           "10-minute samples of the shard simulated"):
            mapping.run(until_s=end_s)
            recent = [age for t, age in mapping.metrics.iterator_age if t > end_s - SAMPLE_S]
            story.sample_h.append(end_s / 3600)
            story.iterator_age_h.append(max(recent, default=0.0) / 3600)
            story.processed.append(len(mapping.metrics.processed))
            story.lost.append(mapping.metrics.lost_to_expiry)
        story.good_processed = len(good_ids & set(mapping.metrics.processed))
        story.destination = mapping.metrics.sent_to_destination
    return story


@lru_cache(maxsize=64)
def queue_story(visibility_timeout_s: int = 30, function_s: float = 10.0,
                max_receive_count: int = 5, report: bool = True, messages: int = 60,
                poison_every: int = 20, minutes: int = 30) -> Story:
    """A queue of jobs with a poison pill every ``poison_every`` messages, a DLQ after
    ``max_receive_count`` receives, and a function that runs ``function_s`` per batch
    (its timeout 60 s): who gets processed, how often, and what ends in the DLQ."""
    clock = SimClock()
    with aws_sandbox(queues=[DLQ], clock=clock) as aws:
        sqs = aws.client("sqs")
        redrive = {"deadLetterTargetArn": aws.queue_arn(DLQ),
                   "maxReceiveCount": max_receive_count}
        url = sqs.create_queue(QueueName=QUEUE, Attributes={
            "VisibilityTimeout": str(visibility_timeout_s),
            "RedrivePolicy": json.dumps(redrive)})["QueueUrl"]
        bad = 0
        for number in range(messages):
            poison = number % poison_every == poison_every - 1
            bad += poison
            body = POISON.decode() if poison else json.dumps({"job": number})
            sqs.send_message(QueueUrl=url, MessageBody=body)
        config = {"FunctionResponseTypes": ["ReportBatchItemFailures"]} if report else {}
        mapping = SqsEventSourceMapping(
            aws, QUEUE, Function(sqs_handler(report=report), timeout_s=60,
                                 duration_s=function_s), config)
        story = Story(mapping.metrics, written=messages - bad, bad=bad, good_processed=0)
        for end_s in steps(range(60, minutes * 60 + 1, 60), "minutes of the queue simulated"):
            mapping.run(until_s=end_s)
            story.sample_h.append(end_s / 3600)
            story.processed.append(len(mapping.metrics.processed))
            story.lost.append(mapping.queue_depth(aws.queue_urls[DLQ]))
        story.destination = mapping.queue_depth(aws.queue_urls[DLQ])
        story.good_processed = len(mapping.metrics.processed)
    return story

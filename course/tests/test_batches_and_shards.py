"""Kinesis shard hashing and limits, and partly failed batch calls from the fault layer."""

import random

import pytest

from resilience.aws import shards
from resilience.clock import SimClock
from resilience.faults import FaultInjector
from resilience.sandbox import aws_sandbox


def test_records_land_on_the_shard_kinesis_would_choose():
    """Our hashing agrees with the moto stream's, shard for shard."""
    with aws_sandbox(streams={"s": 4}) as aws:
        kinesis = aws.client("kinesis")
        ranges = shards.even_ranges(4)
        for n in range(40):
            key = f"key-{n}"
            landed = kinesis.put_record(StreamName="s", Data=b"x", PartitionKey=key)["ShardId"]
            assert landed == f"shardId-{shards.shard_for(shards.hash_key(key), ranges):012d}"


def test_a_shard_takes_a_seconds_worth_then_refills():
    limits = shards.ShardWriteLimits(1)
    assert sum(limits.admit(0, 10, now_s=0.0) for _ in range(1500)) == 1000
    assert sum(limits.admit(0, 10, now_s=0.5) for _ in range(1000)) == 500
    big = shards.ShardWriteLimits(1)
    assert [big.admit(0, 600_000, now_s=0.0) for _ in range(2)] == [True, False]


def test_an_idle_shard_saves_up_no_more_than_a_seconds_worth():
    """After a minute idle a shard takes one second's burst (1,000 records, 1 MiB), not 60."""
    limits = shards.ShardWriteLimits(1)
    assert sum(limits.admit(0, 10, now_s=0.0) for _ in range(1000)) == 1000
    assert sum(limits.admit(0, 10, now_s=60.0) for _ in range(5000)) == 1000
    volume = shards.ShardWriteLimits(1)  # records of 100,000 bytes: 10 fit in 1 MiB
    assert sum(volume.admit(0, 100_000, now_s=60.0) for _ in range(100)) == 10


@pytest.fixture(params=[3])
def stream(request):
    """A one-shard stream, a client on it (with this many attempts) and its fault layer."""
    clock = SimClock()
    with aws_sandbox(streams={"s": 1}, clock=clock) as aws:
        kinesis = aws.client("kinesis", total_max_attempts=request.param)
        yield kinesis, FaultInjector(kinesis, clock=clock), clock


def test_a_burst_past_the_shard_limit_fails_in_part_with_http_200(stream):
    kinesis, faults, clock = stream
    faults.shard_limits()
    records = [{"Data": b"d", "PartitionKey": f"k{n}"} for n in range(500)]
    answers = [kinesis.put_records(StreamName="s", Records=records) for _ in range(3)]
    assert [a["FailedRecordCount"] for a in answers] == [0, 0, 500]
    assert all(a["ResponseMetadata"]["RetryAttempts"] == 0 for a in answers)
    assert answers[2]["Records"][0]["ErrorCode"] == "ProvisionedThroughputExceededException"
    clock.advance(1.0)
    assert kinesis.put_records(StreamName="s", Records=records)["FailedRecordCount"] == 0
    assert [c.outcome for c in faults.calls] == ["ok", "ok", "partial", "ok"]


def test_failed_entries_keep_their_place_and_do_no_work(stream):
    kinesis, faults, _ = stream
    faults.fail_entries("PutRecords", when=lambda record: record["Data"] == b"bad")
    records = [{"Data": data, "PartitionKey": "k"} for data in (b"a", b"bad", b"c")]
    answer = kinesis.put_records(StreamName="s", Records=records)
    assert answer["FailedRecordCount"] == 1
    assert [("ErrorCode" in r) for r in answer["Records"]] == [False, True, False]
    assert answer["Records"][1]["ErrorCode"] == "InternalFailure"
    shard = kinesis.list_shards(StreamName="s")["Shards"][0]["ShardId"]
    iterator = kinesis.get_shard_iterator(StreamName="s", ShardId=shard,
                                          ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
    assert [r["Data"] for r in kinesis.get_records(ShardIterator=iterator)["Records"]] == [
        b"a", b"c"]
    assert faults.calls[0].payload_bytes == len(b"abadc") + 3


def test_a_stream_idle_for_a_minute_still_throttles_a_burst(stream):
    """Through the fault layer's SimClock too, idle time banks at most one second's writes."""
    kinesis, faults, clock = stream
    faults.shard_limits()
    records = [{"Data": b"d", "PartitionKey": f"k{n}"} for n in range(500)]
    kinesis.put_records(StreamName="s", Records=records)
    clock.advance(60.0)
    answers = [kinesis.put_records(StreamName="s", Records=records) for _ in range(3)]
    assert [a["FailedRecordCount"] for a in answers] == [0, 0, 500]


@pytest.mark.parametrize("stream", [1], indirect=True)
def test_single_put_record_is_throttled_whole(stream):
    kinesis, faults, _ = stream
    faults.shard_limits(records_per_s=1)
    kinesis.put_record(StreamName="s", Data=b"a", PartitionKey="a")
    with pytest.raises(kinesis.exceptions.ProvisionedThroughputExceededException):
        kinesis.put_record(StreamName="s", Data=b"b", PartitionKey="a")


def test_sqs_batches_report_failed_entries_with_sender_fault():
    with aws_sandbox(queues=["q"]) as aws:
        sqs = aws.client("sqs", total_max_attempts=1)
        faults = FaultInjector(sqs)
        faults.fail_entries("SendMessageBatch", when=lambda e: e["Id"] == "1",
                            code="InvalidParameterValue", sender_fault=True)
        answer = sqs.send_message_batch(QueueUrl=aws.queue_urls["q"], Entries=[
            {"Id": str(n), "MessageBody": "m"} for n in range(3)])
        assert [e["Id"] for e in answer["Successful"]] == ["0", "2"]
        assert answer["Failed"] == [{"Id": "1", "SenderFault": True,
                                     "Code": "InvalidParameterValue",
                                     "Message": "Injected fault: InvalidParameterValue"}]
        attributes = sqs.get_queue_attributes(QueueUrl=aws.queue_urls["q"],
                                              AttributeNames=["ApproximateNumberOfMessages"])
        assert attributes["Attributes"]["ApproximateNumberOfMessages"] == "2"


def test_dynamodb_batch_writes_leave_unprocessed_items_and_enforce_25():
    with aws_sandbox(tables=["t"]) as aws:
        dynamodb = aws.client("dynamodb", total_max_attempts=1)
        faults = FaultInjector(dynamodb, rng=random.Random(3))
        faults.fail_entries("BatchWriteItem", rate=0.5)
        requests = [{"PutRequest": {"Item": {"id": {"S": str(n)}}}} for n in range(20)]
        answer = dynamodb.batch_write_item(RequestItems={"t": requests})
        left = answer["UnprocessedItems"]["t"]
        stored = dynamodb.scan(TableName="t")["Count"]
        assert 0 < len(left) < 20 and stored == 20 - len(left)
        with pytest.raises(dynamodb.exceptions.ClientError, match="at most 25"):
            dynamodb.batch_write_item(RequestItems={"t": requests + requests[:6]})


@pytest.mark.parametrize("stream", [1], indirect=True)
def test_an_unreachable_endpoint_fails_after_the_connect_timeout(stream):
    from botocore.exceptions import ConnectTimeoutError

    kinesis, faults, clock = stream
    faults.unreachable(first=1)
    with pytest.raises(ConnectTimeoutError):
        kinesis.list_shards(StreamName="s")
    assert faults.outcomes() == ["unreachable"] and clock.now() >= 1.0


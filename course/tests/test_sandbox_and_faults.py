"""The moto sandbox and the fault layer: failures as AWS makes them, in simulated time."""

import os

import boto3
import pytest
from botocore.exceptions import (
    ClientError,
    ConnectionClosedError,
    EndpointConnectionError,
    ReadTimeoutError,
)

from resilience.aws.facts import (
    KINESIS_RECORD_MAX_BYTES,
    PUT_RECORDS_MAX_BYTES,
    REGION,
    MiB,
)
from resilience.clock import SimClock, make_rng
from resilience.faults import FaultInjector
from resilience.sandbox import aws_sandbox, client_config


@pytest.fixture
def table():
    clock = SimClock()
    with aws_sandbox(tables=["orders"], clock=clock) as aws:
        yield aws, clock


def put(client, key):
    return client.put_item(TableName="orders", Item={"id": {"S": key}})


def count(client):
    return client.scan(TableName="orders", Select="COUNT")["Count"]


def test_sandbox_creates_resources_and_restores_environment():
    before = os.environ.get("AWS_ACCESS_KEY_ID")
    with aws_sandbox(tables=["t"], queues=["q"], streams={"s": 3}) as aws:
        assert os.environ["AWS_DEFAULT_REGION"] == "us-east-1"
        assert aws.client("dynamodb").list_tables()["TableNames"] == ["t"]
        assert aws.queue_urls["q"].endswith("/q")
        shards = aws.client("kinesis").list_shards(StreamName="s")["Shards"]
        assert len(shards) == 3
    assert os.environ.get("AWS_ACCESS_KEY_ID") == before


def test_client_config_counts_attempts_explicitly():
    config = client_config(total_max_attempts=1)
    assert config.retries == {"mode": "standard", "total_max_attempts": 1}
    with pytest.raises(ValueError):
        client_config(total_max_attempts=0)


def test_throttling_is_seen_by_botocore_retries_in_simulated_time(table):
    aws, clock = table
    dynamodb = aws.client("dynamodb", total_max_attempts=3)
    faults = FaultInjector(dynamodb, clock=clock)
    faults.throttle("PutItem", first=2)
    response = put(dynamodb, "a")
    assert response["ResponseMetadata"]["RetryAttempts"] == 2
    assert faults.outcomes() == ["throttled", "throttled", "ok"]
    assert len(clock.sleeps) == 2 and all(0 <= s <= 2 for s in clock.sleeps)


def test_a_throttled_call_does_no_work(table):
    aws, clock = table
    dynamodb = aws.client("dynamodb", total_max_attempts=1)
    FaultInjector(dynamodb, clock=clock).throttle(first=1)
    with pytest.raises(ClientError) as caught:
        put(dynamodb, "a")
    assert caught.value.response["Error"]["Code"] == "ProvisionedThroughputExceededException"
    assert count(dynamodb) == 0


def test_server_errors_carry_their_status(table):
    aws, clock = table
    dynamodb = aws.client("dynamodb", total_max_attempts=1)
    FaultInjector(dynamodb, clock=clock).server_error(status=503, first=1)
    with pytest.raises(ClientError) as caught:
        put(dynamodb, "a")
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 503


def test_a_delivered_timeout_still_does_the_work(table):
    aws, clock = table
    dynamodb = aws.client("dynamodb", total_max_attempts=1, read_timeout_s=2.0)
    FaultInjector(dynamodb, clock=clock).timeout("PutItem", first=1, delivered=True)
    with pytest.raises(ReadTimeoutError):
        put(dynamodb, "a")
    assert clock() == 2.0 and count(dynamodb) == 1


def test_a_dropped_connection_did_the_work_only_if_it_was_delivered(table):
    aws, clock = table
    dynamodb = aws.client("dynamodb", total_max_attempts=1)
    faults = FaultInjector(dynamodb, clock=clock)
    faults.drop("PutItem", first=1)
    with pytest.raises(EndpointConnectionError):
        put(dynamodb, "a")
    assert count(dynamodb) == 0
    faults.clear()
    faults.drop("PutItem", first=1, delivered=True)
    with pytest.raises(ConnectionClosedError):
        put(dynamodb, "b")
    assert count(dynamodb) == 1
    assert faults.outcomes() == ["dropped", "ok", "dropped", "ok"]


def test_any_error_code_on_any_call(table):
    aws, clock = table
    dynamodb = aws.client("dynamodb", total_max_attempts=1)
    faults = FaultInjector(dynamodb, clock=clock)
    faults.error("ConditionalCheckFailedException", "UpdateItem", first=1)
    update = dict(TableName="orders", Key={"id": {"S": "a"}},
                  UpdateExpression="SET n = :one", ExpressionAttributeValues={":one": {"N": "1"}})
    with pytest.raises(dynamodb.exceptions.ConditionalCheckFailedException):
        dynamodb.update_item(**update)
    assert count(dynamodb) == 0
    dynamodb.update_item(**update)
    assert count(dynamodb) == 1 and faults.outcomes("UpdateItem") == ["error", "ok"]


def test_latency_past_the_read_timeout_times_out(table):
    aws, clock = table
    dynamodb = aws.client("dynamodb", total_max_attempts=1, read_timeout_s=1.0)
    faults = FaultInjector(dynamodb, clock=clock)
    faults.latency(0.3, "PutItem", first=1)
    faults.latency(5.0, "PutItem", first=1)
    put(dynamodb, "a")
    assert clock() == pytest.approx(0.3)
    with pytest.raises(ReadTimeoutError):
        put(dynamodb, "b")
    assert clock() == pytest.approx(1.3)


def test_rate_and_window_rules_are_reproducible(table):
    aws, clock = table

    def outcomes(seed):
        dynamodb = aws.client("dynamodb", total_max_attempts=1)
        faults = FaultInjector(dynamodb, clock=clock, rng=make_rng(seed))
        faults.throttle("PutItem", rate=0.5)
        for n in range(20):
            try:
                put(dynamodb, str(n))
            except ClientError:
                pass
        return faults.outcomes()

    assert outcomes(1) == outcomes(1)
    assert 3 < outcomes(1).count("throttled") < 17

    dynamodb = aws.client("dynamodb", total_max_attempts=1)
    faults = FaultInjector(dynamodb, clock=clock)
    faults.throttle(between_s=(clock() + 1, clock() + 2))
    put(dynamodb, "before")
    clock.advance(1.5)
    with pytest.raises(ClientError):
        put(dynamodb, "during")
    clock.advance(1.0)
    put(dynamodb, "after")
    assert faults.outcomes() == ["ok", "throttled", "ok"]


def test_sqs_and_kinesis_throttle_with_their_codes():
    with aws_sandbox(queues=["q"], streams=["s"]) as aws:
        sqs = aws.client("sqs", total_max_attempts=1)
        FaultInjector(sqs).throttle(first=1)
        with pytest.raises(ClientError) as caught:
            sqs.send_message(QueueUrl=aws.queue_urls["q"], MessageBody="x")
        assert caught.value.response["Error"]["Code"] == "ThrottlingException"
        assert "Messages" not in sqs.receive_message(QueueUrl=aws.queue_urls["q"])

        kinesis = aws.client("kinesis", total_max_attempts=1)
        FaultInjector(kinesis).throttle(first=1)
        with pytest.raises(ClientError) as caught:
            kinesis.put_record(StreamName="s", Data=b"x", PartitionKey="p")
        assert caught.value.response["Error"]["Code"] == "ProvisionedThroughputExceededException"


# -- PutRecords' request limit: AWS's 10 MiB, where moto still enforces 5 --------------------

WIDE_KEY = "水" * 8  # 8 characters, 24 bytes: the limits count a key's bytes


def _records(*sizes: int, key: str = WIDE_KEY) -> list[dict]:
    """Records of these sizes in bytes, data plus partition key."""
    return [{"Data": b"." * (size - len(key.encode())), "PartitionKey": key} for size in sizes]


def _records_in(kinesis, stream: str, after: str | None = None) -> int:
    """How many records a one-shard stream holds (after sequence number ``after``)."""
    shard = kinesis.list_shards(StreamName=stream)["Shards"][0]["ShardId"]
    start = ({"ShardIteratorType": "AFTER_SEQUENCE_NUMBER", "StartingSequenceNumber": after}
             if after else {"ShardIteratorType": "TRIM_HORIZON"})
    iterator = kinesis.get_shard_iterator(StreamName=stream, ShardId=shard, **start)
    return len(kinesis.get_records(ShardIterator=iterator["ShardIterator"])["Records"])


def _refusal(call) -> dict:
    """The error of a call that must be refused."""
    with pytest.raises(ClientError) as caught:
        call()
    return caught.value.response["Error"]


KEY_BYTES = len(WIDE_KEY.encode())
# Nine records of 1 MiB, one short of it by a key-only record's size, and that record: the
# request limit exactly (by characters, each key counts 16 bytes fewer).
AT_THE_LIMIT = (KINESIS_RECORD_MAX_BYTES,) * 9 + (KINESIS_RECORD_MAX_BYTES - KEY_BYTES, KEY_BYTES)
assert sum(AT_THE_LIMIT) == PUT_RECORDS_MAX_BYTES


def test_put_records_takes_a_call_up_to_the_aws_request_limit():
    """A call of exactly 10 MiB, partition keys included, lands whole and in order; one of a
    byte more (under the limit if keys counted characters) is refused, as AWS refuses it,
    and writes nothing."""
    with aws_sandbox(streams=["s"]) as aws:
        kinesis = aws.client("kinesis", total_max_attempts=1)
        response = kinesis.put_records(StreamName="s", Records=_records(*AT_THE_LIMIT))
        assert response["FailedRecordCount"] == 0
        sequence = [int(entry["SequenceNumber"]) for entry in response["Records"]]
        assert len(sequence) == len(AT_THE_LIMIT) and sequence == sorted(set(sequence))
        one_over = _records(*AT_THE_LIMIT[:-2], AT_THE_LIMIT[-2] + 1, KEY_BYTES)
        error = _refusal(lambda: kinesis.put_records(StreamName="s", Records=one_over))
        assert error["Code"] == "InvalidArgumentException"
        assert f"{PUT_RECORDS_MAX_BYTES // MiB} MB" in error["Message"]
        assert _records_in(kinesis, "s", after=str(sequence[-1])) == 0


def test_put_records_still_refuses_a_record_over_1_mib_in_a_large_call():
    """moto's per-record check holds in a call over moto's own 5 MiB too: the whole call is
    refused, naming the record, and nothing is written."""
    with aws_sandbox(streams=["s"]) as aws:
        kinesis = aws.client("kinesis", total_max_attempts=1)
        records = _records(*(MiB,) * 5, MiB + 1, MiB, key="k")
        error = _refusal(lambda: kinesis.put_records(StreamName="s", Records=records))
        assert error["Code"] == "ValidationException" and "records.6.member" in error["Message"]
        assert _records_in(kinesis, "s") == 0


def test_moto_alone_still_enforces_the_old_request_limit(monkeypatch):
    """Why the sandbox fills the gap: moto by itself refuses a call over 5 MiB. When this
    fails, moto has caught up with AWS, and ``aws.kinesisgaps``' PutRecords patch can go."""
    from moto import mock_aws

    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(name, "testing")
    with mock_aws():
        kinesis = boto3.client("kinesis", region_name=REGION)
        kinesis.create_stream(StreamName="s", ShardCount=1)
        records = _records(*(MiB,) * 5, 1, key="k")
        error = _refusal(lambda: kinesis.put_records(StreamName="s", Records=records))
        assert error["Code"] == "InvalidArgumentException" and "5 MB" in error["Message"]


def test_the_fault_layer_refuses_an_oversized_call_before_failing_any_entry():
    """With entries failed by a rule, the fault layer sends moto only the rest: it checks
    the request limit on the whole call first, or a call over it would slip under."""
    with aws_sandbox(streams=["s"]) as aws:
        kinesis = aws.client("kinesis", total_max_attempts=1)
        faults = FaultInjector(kinesis)
        faults.fail_entries("PutRecords", rate=1.0)
        one_over = _records(*AT_THE_LIMIT[:-2], AT_THE_LIMIT[-2] + 1, KEY_BYTES)
        error = _refusal(lambda: kinesis.put_records(StreamName="s", Records=one_over))
        assert error["Code"] == "InvalidArgumentException"
        assert faults.outcomes("PutRecords") == ["invalid"]
        response = kinesis.put_records(StreamName="s", Records=_records(*AT_THE_LIMIT))
        assert response["FailedRecordCount"] == len(AT_THE_LIMIT)

"""The moto sandbox and the fault layer: failures as AWS makes them, in simulated time."""

import os

import pytest
from botocore.exceptions import (
    ClientError,
    ConnectionClosedError,
    EndpointConnectionError,
    ReadTimeoutError,
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

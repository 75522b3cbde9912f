"""moto in simulated time: timestamps, visibility timeouts, long polls and retention."""

from resilience.aws.motoclock import SIM_EPOCH_S
from resilience.clock import SimClock
from resilience.sandbox import aws_sandbox

SHARD = "shardId-000000000000"


def test_sqs_keeps_simulated_time():
    clock = SimClock()
    with aws_sandbox(queues=["q"], clock=clock) as aws:
        sqs, url = aws.client("sqs"), aws.queue_urls["q"]
        clock.advance(5)
        sqs.send_message(QueueUrl=url, MessageBody="x")
        message = sqs.receive_message(QueueUrl=url, MessageSystemAttributeNames=["All"],
                                      VisibilityTimeout=30)["Messages"][0]
        assert message["Attributes"]["SentTimestamp"] == str(int((SIM_EPOCH_S + 5) * 1000))
        assert "Messages" not in sqs.receive_message(QueueUrl=url, WaitTimeSeconds=20)
        assert clock.now() >= 25  # the long poll waited in simulated time
        clock.advance(11)
        assert sqs.receive_message(QueueUrl=url)["Messages"][0]["Body"] == "x"


def test_sqs_messages_expire_with_the_queues_retention_period():
    clock = SimClock()
    with aws_sandbox(clock=clock) as aws:
        sqs = aws.client("sqs")
        url = sqs.create_queue(QueueName="short", Attributes={
            "MessageRetentionPeriod": "60"})["QueueUrl"]  # SQS's minimum: 1 minute
        sqs.send_message(QueueUrl=url, MessageBody="x")
        clock.advance(59)
        assert sqs.receive_message(QueueUrl=url, VisibilityTimeout=0)["Messages"]
        clock.advance(2)
        assert "Messages" not in sqs.receive_message(QueueUrl=url)


def test_kinesis_records_arrive_in_simulated_time_and_expire_with_retention():
    clock = SimClock()
    with aws_sandbox(streams={"s": 1}, clock=clock) as aws:
        kinesis = aws.client("kinesis")
        kinesis.put_record(StreamName="s", Data=b"old", PartitionKey="k")
        clock.advance(20 * 3600)
        kinesis.put_record(StreamName="s", Data=b"new", PartitionKey="k")
        clock.advance(5 * 3600)
        iterator = kinesis.get_shard_iterator(StreamName="s", ShardId=SHARD,
                                              ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        records = kinesis.get_records(ShardIterator=iterator)["Records"]
        assert [r["Data"] for r in records] == [b"new"]
        assert records[0]["ApproximateArrivalTimestamp"].timestamp() == SIM_EPOCH_S + 20 * 3600
        assert [e.data for e in aws.moto_clock.expired] == [b"old"]
        clock.advance(24 * 3600)
        aws.moto_clock.trim_streams()
        number = kinesis.put_record(StreamName="s", Data=b"later", PartitionKey="k")
        assert int(number["SequenceNumber"]) == 3  # numbers keep rising after a full trim

"""Chapter 4's production lessons, checked on moto: Powertools' batch processor answers with
a partial batch response and does not redo good work on a queue (but does on a stream);
setting a pill aside keeps a stream moving; the SQS redrive moves a DLQ's messages back; a
DLQ deletes a standard queue's message counting from when it was first sent; and the
redrive exercise's self-check tells a right answer from wrong ones."""

import json

import pytest
from botocore.exceptions import ClientError

from resilience.aws.facts import (
    SECONDS_PER_DAY,
    SQS_DEFAULT_RETENTION_S,
    SQS_MAX_RETENTION_S,
    SQS_MOVE_TASK_MAX_MESSAGES_PER_S,
)
from resilience.aws.motoclock import sim_s
from resilience.aws.movetasks import message_move_tasks
from resilience.chapters.ch04_poison_pills import (
    CONSUMER_BACK_S,
    FIXED_S,
    check_redrive,
    dlq_deletes_at_s,
    kinesis_run,
    retention_story,
    set_aside,
    sqs_run,
)
from resilience.clock import SimClock
from resilience.models.poison import POISON, kinesis_handler, parse_order
from resilience.sandbox import aws_sandbox

GOOD_1, GOOD_3 = '{"order": 1}', '{"order": 3}'
PILL = POISON.decode()
STREAM_RECORDS = [GOOD_1.encode(), POISON, GOOD_3.encode()]
RETRIES = 2
REPORT_WITH_RETRIES = {"FunctionResponseTypes": ["ReportBatchItemFailures"],
                       "MaximumRetryAttempts": RETRIES}


def powertools_handler(event_type, record_handler):
    """A Lambda handler in Powertools' documented form."""
    from aws_lambda_powertools.utilities.batch import BatchProcessor, process_partial_response

    processor = BatchProcessor(event_type=event_type)

    def lambda_handler(event, context):
        return process_partial_response(event=event, record_handler=record_handler,
                                        processor=processor, context=context)

    return lambda_handler


# -- the production handler --------------------------------------------------------------------


def test_powertools_reports_the_pill_on_a_queue_and_never_redoes_the_good_messages():
    from aws_lambda_powertools.utilities.batch import EventType

    run = sqs_run(powertools_handler(
        EventType.SQS, lambda record: parse_order(record.body.encode())), [GOOD_1, PILL, GOOD_3])
    failures = run.responses[0]["batchItemFailures"]
    assert [run.names[f["itemIdentifier"]] for f in failures] == [PILL], run.responses[0]
    assert dict(run.done) == {GOOD_1: 1, GOOD_3: 1}, "good messages are done once, and deleted"
    assert run.delivered[GOOD_1] == run.delivered[GOOD_3] == 1, "and never handed over again"
    assert run.delivered[PILL] == 5 and run.aside == (PILL,), "the pill goes to the DLQ"


def test_powertools_on_a_stream_redoes_the_records_after_the_pill_on_every_retry():
    from aws_lambda_powertools.utilities.batch import EventType

    run = kinesis_run(powertools_handler(
        EventType.KinesisDataStreams, lambda record: parse_order(record.kinesis.data_as_bytes())),
        STREAM_RECORDS, REPORT_WITH_RETRIES)
    assert run.delivered[GOOD_1] == 1, "before the pill: checkpointed, done once"
    assert run.delivered[GOOD_3] == RETRIES + 1, "after it: processed again on each retry"
    assert set(run.aside) == {PILL, GOOD_3}, "and discarded with the pill in the end"
    sequence_of = {data: number for number, data in run.names.items()}
    assert all(r["batchItemFailures"] == [{"itemIdentifier": sequence_of[PILL]}]
               for r in run.responses)


def test_a_pill_set_aside_keeps_a_stream_on_aws_defaults_moving_at_once():
    parked = []
    run = kinesis_run(kinesis_handler(set_aside(parse_order, parked.append)), STREAM_RECORDS)
    assert run.responses == ({"batchItemFailures": []},), "one invocation, nothing to retry"
    assert set(run.delivered.values()) == {1} and not run.aside
    assert parked == [POISON]


def test_set_aside_still_raises_errors_that_may_pass():
    def flaky(data):
        raise TimeoutError("the partner API did not answer")

    with pytest.raises(TimeoutError):
        set_aside(flaky, [].append)(b'{"order": 1}')


# -- the redrive (a moto gap the chapter fills) ---------------------------------------------------


@pytest.fixture
def queues():
    """A source queue whose DLQ holds three messages (maxReceiveCount 1), in simulated time."""
    clock = SimClock()
    with aws_sandbox(queues=["dlq", "elsewhere"], clock=clock) as aws:
        sqs = aws.client("sqs")
        url = sqs.create_queue(QueueName="source", Attributes={"RedrivePolicy": json.dumps({
            "deadLetterTargetArn": aws.queue_arn("dlq"), "maxReceiveCount": 1})})["QueueUrl"]
        sent = {sqs.send_message(QueueUrl=url, MessageBody=f"m{n}")["MessageId"]
                for n in range(3)}
        for _ in range(2):  # a receive that fails them, then one that moves them
            sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=1)
            clock.advance(2)
        aws.queue_urls["source"] = url
        yield aws, sqs, sent


def _bodies_and_ids(sqs, url):
    messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=0,
                                   MessageSystemAttributeNames=["SentTimestamp"])["Messages"]
    return {m["Body"] for m in messages}, {m["MessageId"] for m in messages}, messages


def test_a_move_task_sends_the_dlq_messages_back_as_new_messages(queues):
    aws, sqs, sent = queues
    aws.clock.advance(60)
    sqs.start_message_move_task(SourceArn=aws.queue_arn("dlq"),
                                DestinationArn=aws.queue_arn("source"))
    bodies, ids, messages = _bodies_and_ids(sqs, aws.queue_urls["source"])
    assert bodies == {"m0", "m1", "m2"} and not ids & sent, "new messages, new messageIds"
    assert {sim_s(int(m["Attributes"]["SentTimestamp"]) / 1000) for m in messages} == {64.0}
    assert not sqs.receive_message(QueueUrl=aws.queue_urls["dlq"]).get("Messages")
    [task] = sqs.list_message_move_tasks(SourceArn=aws.queue_arn("dlq"))["Results"]
    assert task["Status"] == "COMPLETED" and task["ApproximateNumberOfMessagesMoved"] == 3


def test_without_a_destination_the_messages_go_back_to_their_source(queues):
    aws, sqs, _ = queues
    sqs.start_message_move_task(SourceArn=aws.queue_arn("dlq"))
    assert _bodies_and_ids(sqs, aws.queue_urls["source"])[0] == {"m0", "m1", "m2"}
    assert "DestinationArn" not in sqs.list_message_move_tasks(
        SourceArn=aws.queue_arn("dlq"))["Results"][0]


@pytest.mark.parametrize("arguments, code", [
    (dict(SourceArn="source"), "InvalidParameterValue"),  # not a DLQ
    (dict(SourceArn="elsewhere"), "InvalidParameterValue"),
    (dict(SourceArn="missing"), "ResourceNotFoundException"),
    (dict(SourceArn="dlq", DestinationArn="dlq"), "InvalidParameterValue"),
    (dict(SourceArn="dlq", DestinationArn="missing"), "ResourceNotFoundException"),
    (dict(SourceArn="dlq", MaxNumberOfMessagesPerSecond=0), "InvalidParameterValue"),
    (dict(SourceArn="dlq", MaxNumberOfMessagesPerSecond=SQS_MOVE_TASK_MAX_MESSAGES_PER_S + 1),
     "InvalidParameterValue"),
])
def test_sqs_refuses_a_move_task_it_cannot_run(queues, arguments, code):
    aws, sqs, _ = queues
    arns = {name: aws.queue_arn(value) if name.endswith("Arn") else value
            for name, value in arguments.items()}
    with pytest.raises(ClientError) as refusal:
        sqs.start_message_move_task(**arns)
    assert refusal.value.response["Error"]["Code"] == code
    assert _bodies_and_ids(sqs, aws.queue_urls["dlq"])[0] == {"m0", "m1", "m2"}, "none moved"


def test_the_fastest_rate_is_accepted(queues):
    aws, sqs, _ = queues
    sqs.start_message_move_task(SourceArn=aws.queue_arn("dlq"),
                                MaxNumberOfMessagesPerSecond=SQS_MOVE_TASK_MAX_MESSAGES_PER_S)
    [task] = sqs.list_message_move_tasks(SourceArn=aws.queue_arn("dlq"))["Results"]
    assert task["MaxNumberOfMessagesPerSecond"] == SQS_MOVE_TASK_MAX_MESSAGES_PER_S


def test_moto_lacks_move_tasks_and_the_emulator_leaves_it_as_it_was():
    from moto import mock_aws

    with mock_aws():
        import boto3

        sqs = boto3.client("sqs", region_name="us-east-1", aws_access_key_id="x",
                           aws_secret_access_key="x")
        arn = "arn:aws:sqs:us-east-1:123456789012:q"
        with pytest.raises(NotImplementedError):  # moto 5.2.5's own answer
            sqs.list_message_move_tasks(SourceArn=arn)
        with message_move_tasks():
            pass
        with pytest.raises(NotImplementedError):
            sqs.list_message_move_tasks(SourceArn=arn)


# -- the retention pitfall ----------------------------------------------------------------------


def test_the_documented_rule_for_when_a_dlq_deletes_a_message():
    # The SQS guide's example: 1 day in the source queue, a DLQ that keeps messages 4 days.
    day = SECONDS_PER_DAY
    assert dlq_deletes_at_s(0, day, 4 * day) - day == 3 * day, "standard: 3 days in the DLQ"
    assert dlq_deletes_at_s(0, day, 4 * day, fifo=True) - day == 4 * day, "FIFO: 4 days"


def test_a_dlq_as_long_as_its_source_deletes_the_order_before_the_fix():
    story = retention_story(SQS_DEFAULT_RETENTION_S)
    assert story.sent_s == 0, "the DLQ reports the first enqueue time"
    assert CONSUMER_BACK_S < story.in_dlq_s < CONSUMER_BACK_S + 600, "5 receives, minutes"
    deleted_s = dlq_deletes_at_s(story.sent_s, story.in_dlq_s, SQS_DEFAULT_RETENTION_S)
    assert deleted_s == 4 * SECONDS_PER_DAY < FIXED_S
    assert story.in_dlq_s + SECONDS_PER_DAY - deleted_s < 600, "about a day in the DLQ"
    assert (story.redriven, story.done, story.resent_s) == (0, 0, None), "the order is lost"


def test_a_longer_dlq_retention_keeps_the_order_for_the_redrive():
    story = retention_story(SQS_MAX_RETENTION_S)
    assert (story.redriven, story.done) == (1, 1)
    assert story.resent_s == FIXED_S, "a redriven message is a new one: its retention restarts"


def test_moto_itself_drops_the_expired_message_from_the_dlq():
    """The pitfall does not depend on the move task: a receive finds nothing either."""
    clock = SimClock()
    with aws_sandbox(clock=clock) as aws:
        sqs = aws.client("sqs")
        dlq = sqs.create_queue(QueueName="dlq", Attributes={
            "MessageRetentionPeriod": str(SQS_DEFAULT_RETENTION_S)})["QueueUrl"]
        url = sqs.create_queue(QueueName="source", Attributes={"RedrivePolicy": json.dumps({
            "deadLetterTargetArn": aws.queue_arn("dlq"), "maxReceiveCount": 1})})["QueueUrl"]
        sqs.send_message(QueueUrl=url, MessageBody="order")
        clock.advance(CONSUMER_BACK_S)
        sqs.receive_message(QueueUrl=url, VisibilityTimeout=1)
        clock.advance(2)
        sqs.receive_message(QueueUrl=url)  # moves it
        assert sqs.receive_message(QueueUrl=dlq, VisibilityTimeout=0).get("Messages")
        clock.advance(SQS_DEFAULT_RETENTION_S - CONSUMER_BACK_S)
        assert not sqs.receive_message(QueueUrl=dlq).get("Messages")


# -- the exercise's self-check ---------------------------------------------------------------


def _by_hand(sqs, dlq_arn, source_arn, most=None):
    """Receive, send, delete: the redrive people wrote before move tasks existed."""
    dlq = sqs.get_queue_url(QueueName=dlq_arn.rsplit(":", 1)[-1])["QueueUrl"]
    source = sqs.get_queue_url(QueueName=source_arn.rsplit(":", 1)[-1])["QueueUrl"]
    messages = sqs.receive_message(QueueUrl=dlq, MaxNumberOfMessages=10)["Messages"][:most]
    for message in messages:
        sqs.send_message(QueueUrl=source, MessageBody=message["Body"])
        sqs.delete_message(QueueUrl=dlq, ReceiptHandle=message["ReceiptHandle"])


def test_the_self_check_passes_the_move_task():
    verdict = check_redrive(lambda sqs, dlq_arn, source_arn: sqs.start_message_move_task(
        SourceArn=dlq_arn, DestinationArn=source_arn))
    assert verdict.passed and "move task" in verdict.message, verdict
    assert "2 orders done" in verdict.message and repr(verdict).startswith("Passed")


def test_the_self_check_passes_a_move_task_to_the_original_source():
    assert check_redrive(
        lambda sqs, dlq_arn, source_arn: sqs.start_message_move_task(SourceArn=dlq_arn)).passed


def test_the_self_check_passes_a_redrive_by_hand_and_says_so():
    verdict = check_redrive(_by_hand)
    assert verdict.passed and "by hand" in verdict.message, verdict


@pytest.mark.parametrize("redrive, says", [
    (lambda sqs, dlq_arn, source_arn: None, "nothing moved"),
    (lambda sqs, dlq_arn, source_arn: sqs.start_message_move_task(
        SourceArn=source_arn, DestinationArn=dlq_arn), "SourceArn names the queue"),
    (lambda sqs, dlq_arn, source_arn: _by_hand(sqs, dlq_arn, source_arn, most=1),
     "1 of 2 orders moved"),
    (lambda sqs, dlq_arn, source_arn: 1 / 0, "ZeroDivisionError"),
], ids=["blank", "the wrong way round", "only one", "raises"])
def test_the_self_check_tells_what_went_wrong(redrive, says):
    verdict = check_redrive(redrive)
    assert not verdict.passed and says in verdict.message, verdict
    assert repr(verdict).startswith("Not yet")


def test_a_sandbox_inside_another_leaves_the_outer_ones_move_tasks():
    with aws_sandbox(queues=["q"]) as outer:
        with aws_sandbox(queues=["r"]):
            pass
        assert outer.client("sqs").list_message_move_tasks(
            SourceArn=outer.queue_arn("q"))["Results"] == []

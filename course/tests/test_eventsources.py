"""The event source mapping emulators pin Lambda's documented semantics, one test each."""

import base64
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from resilience.aws.facts import KINESIS_MAPPING_DEFAULTS, SQS_MAPPING_DEFAULTS
from resilience.aws.motoclock import SIM_EPOCH_S
from resilience.aws.shardpeek import holds_records_after
from resilience.clock import SimClock
from resilience.eventsources import (
    Function,
    InvalidParameterValue,
    KinesisEventSourceMapping,
    SqsEventSourceMapping,
    kinesis_config,
    sqs_config,
)
from resilience.sandbox import aws_sandbox

DAY_S = 24 * 3600
STREAM, QUEUE, DESTINATION = "orders", "work", "failures"
POISON = b"poison"


@pytest.fixture
def world():
    clock = SimClock()
    with aws_sandbox(streams={STREAM: 1}, queues=[DESTINATION], clock=clock) as aws:
        yield aws


def put(aws, payloads, key=None):
    """Write records in one PutRecords call; keys are the payloads unless given."""
    aws.client("kinesis").put_records(StreamName=STREAM, Records=[
        {"Data": data, "PartitionKey": key or data.decode()} for data in payloads])


def goods(n, start=0):
    return [f"good-{i}".encode() for i in range(start, start + n)]


def data_of(record):
    return base64.b64decode(record["kinesis"]["data"])


class Recorder:
    """A handler that remembers every record it was handed and raises on the poison."""

    def __init__(self, report=False, stop_at_failure=True):
        self.seen, self.report, self.stop = [], report, stop_at_failure

    def __call__(self, event, context):
        failures = []
        for record in event["Records"]:
            self.seen.append(data_of(record))
            if data_of(record) == POISON:
                if not self.report:
                    raise ValueError("cannot parse the record")
                failures.append({"itemIdentifier": record["kinesis"]["sequenceNumber"]})
                if self.stop:
                    break
        return {"batchItemFailures": failures}


def destination_records(aws):
    sqs = aws.client("sqs")
    messages = sqs.receive_message(QueueUrl=aws.queue_urls[DESTINATION],
                                   MaxNumberOfMessages=10).get("Messages", [])
    return [json.loads(m["Body"]) for m in messages]


ON_FAILURE = {"OnFailure": {"Destination": f"arn:aws:sqs:us-east-1:123456789012:{DESTINATION}"}}


# -- configuration ---------------------------------------------------------------------------


def test_defaults_are_aws_defaults():
    assert KINESIS_MAPPING_DEFAULTS["BatchSize"] == 100
    assert KINESIS_MAPPING_DEFAULTS["MaximumRetryAttempts"] == -1
    assert KINESIS_MAPPING_DEFAULTS["MaximumRecordAgeInSeconds"] == -1
    assert KINESIS_MAPPING_DEFAULTS["BisectBatchOnFunctionError"] is False
    assert KINESIS_MAPPING_DEFAULTS["ParallelizationFactor"] == 1
    assert SQS_MAPPING_DEFAULTS["BatchSize"] == 10


@pytest.mark.parametrize("config, fragment", [
    ({"MaximumRecordAgeInSeconds": 30}, "-1 \\(forever\\) or between 60 and 604800"),
    ({"MaximumRetryAttempts": 10_001}, "MaximumRetryAttempts"),
    ({"ParallelizationFactor": 11}, "between 1 and 10"),
    ({"MaxRetryAttempts": 2}, "not a parameter"),
    ({"FunctionResponseTypes": ["ReportItemFailures"]}, "ReportBatchItemFailures"),
    ({"DestinationConfig": {"OnFailure": {"Destination": "my-queue"}}}, "ARN of an SQS queue"),
])
def test_kinesis_parameters_outside_aws_ranges_are_refused(config, fragment):
    with pytest.raises(InvalidParameterValue, match=fragment):
        kinesis_config(config)


def test_sqs_batches_over_ten_need_a_batching_window():
    with pytest.raises(InvalidParameterValue, match="MaximumBatchingWindowInSeconds"):
        sqs_config({"BatchSize": 50})
    assert sqs_config({"BatchSize": 50, "MaximumBatchingWindowInSeconds": 1})["BatchSize"] == 50
    with pytest.raises(InvalidParameterValue, match="not valid for SQS event sources"):
        sqs_config({"BisectBatchOnFunctionError": True})


# -- Kinesis ---------------------------------------------------------------------------------


def test_kinesis_event_has_lambdas_shape(world):
    put(world, [b"hello"])
    events = []
    KinesisEventSourceMapping(world, STREAM, lambda e, c: events.append(e)).run()
    (record,) = events[0]["Records"]
    assert set(record) == {"kinesis", "eventSource", "eventVersion", "eventID", "eventName",
                           "invokeIdentityArn", "awsRegion", "eventSourceARN"}
    assert record["eventSource"] == "aws:kinesis" and record["eventName"] == "aws:kinesis:record"
    assert record["eventID"] == f"shardId-000000000000:{record['kinesis']['sequenceNumber']}"
    assert record["eventSourceARN"].endswith(f":stream/{STREAM}")
    assert data_of(record) == b"hello" and record["kinesis"]["partitionKey"] == "hello"
    assert record["kinesis"]["approximateArrivalTimestamp"] == SIM_EPOCH_S


def test_kinesis_batches_hold_at_most_batch_size_records_in_order(world):
    put(world, goods(250), key="one-key")
    handler = Recorder()
    mapping = KinesisEventSourceMapping(world, STREAM, handler, {"BatchSize": 100})
    metrics = mapping.run()
    assert metrics.invocations == 3 and handler.seen == goods(250)


def test_by_default_a_poison_pill_blocks_the_shard_until_its_batch_expires(world):
    put(world, goods(10) + [POISON] + goods(89, 10))
    handler = Recorder()
    mapping = KinesisEventSourceMapping(world, STREAM, handler)
    mapping.timeline.at(3600, lambda: put(world, goods(5, 100)))  # written behind the pill
    metrics = mapping.run(until_s=DAY_S - 60)
    assert metrics.processed == {} and metrics.invocations > 70_000  # a day of retries
    assert metrics.max_iterator_age_s > DAY_S - 120
    metrics = mapping.run(until_s=DAY_S + 3600)
    assert metrics.lost_to_expiry == 100  # the whole batch, good records included
    assert len(metrics.processed) == 5  # the shard moves again once the batch is gone
    assert metrics.redeliveries > 100 * 70_000


def test_maximum_retry_attempts_discard_to_the_on_failure_destination(world):
    put(world, [POISON] + goods(3))
    config = {"MaximumRetryAttempts": 2, "DestinationConfig": ON_FAILURE}
    metrics = KinesisEventSourceMapping(world, STREAM, Recorder(), config).run()
    assert metrics.invocations == 3  # the first try and two retries
    (failure,) = destination_records(world)
    assert failure["requestContext"]["condition"] == "RetryAttemptsExhausted"
    assert failure["requestContext"]["approximateInvokeCount"] == 3
    info = failure["KinesisBatchInfo"]
    assert info["batchSize"] == 4 and info["shardId"] == "shardId-000000000000"
    assert info["streamArn"].endswith(f":stream/{STREAM}")
    assert int(info["startSequenceNumber"]) < int(info["endSequenceNumber"])
    assert set(failure) == {"requestContext", "responseContext", "version", "timestamp",
                            "KinesisBatchInfo"}


def test_maximum_record_age_discards_old_records(world):
    put(world, [POISON])
    config = {"MaximumRecordAgeInSeconds": 60, "DestinationConfig": ON_FAILURE}
    mapping = KinesisEventSourceMapping(world, STREAM, Recorder(), config)
    metrics = mapping.run()
    assert 55 <= metrics.invocations <= 62  # about one try a second for a minute
    (failure,) = destination_records(world)
    assert failure["requestContext"]["condition"] == "RecordAgeExceeded"


@pytest.mark.parametrize("retries", [0, 2])
def test_bisecting_isolates_the_pill_without_counting_retries(world, retries):
    """Splitting is no retry (AWS): the isolated pill still gets 1 + MaximumRetryAttempts tries."""
    put(world, goods(37) + [POISON] + goods(62, 37))
    config = {"BisectBatchOnFunctionError": True, "MaximumRetryAttempts": retries,
              "DestinationConfig": ON_FAILURE}
    handler = Recorder()
    metrics = KinesisEventSourceMapping(world, STREAM, handler, config).run()
    assert len(metrics.processed) == 99
    (failure,) = destination_records(world)
    assert failure["KinesisBatchInfo"]["batchSize"] == 1
    assert failure["requestContext"]["condition"] == "RetryAttemptsExhausted"
    assert failure["requestContext"]["approximateInvokeCount"] == 1 + retries
    # tried in batches of 100, 50, 25, 13, 6, 3 and then alone; then only the retries count
    assert handler.seen.count(POISON) == 7 + retries


def test_report_batch_item_failures_checkpoints_at_the_lowest_failed_record(world):
    put(world, goods(4) + [POISON] + goods(5, 4))
    config = {"FunctionResponseTypes": ["ReportBatchItemFailures"], "MaximumRetryAttempts": 1,
              "DestinationConfig": ON_FAILURE}
    handler = Recorder(report=True)
    metrics = KinesisEventSourceMapping(world, STREAM, handler, config).run()
    assert handler.seen == goods(4) + [POISON] + [POISON]  # retried from the pill, twice
    assert all(metrics.deliveries[i] == 1 for i in list(metrics.processed))
    (failure,) = destination_records(world)
    assert failure["KinesisBatchInfo"]["batchSize"] == 6  # the pill and all after it


def test_a_partial_response_is_ignored_unless_the_mapping_asks_for_it(world):
    put(world, [POISON] + goods(3))
    metrics = KinesisEventSourceMapping(world, STREAM, Recorder(report=True)).run()
    assert metrics.invocations == 1 and len(metrics.processed) == 4  # the pill "succeeded"


@pytest.mark.parametrize("response", [
    {"batchItemFailures": [{"itemIdentifier": ""}]},
    {"batchItemFailures": [{"itemIdentifier": None}]},
    {"batchItemFailures": [{"sequenceNumber": "1"}]},
    {"batchItemFailures": [{"itemIdentifier": "999999"}]},
    "not an object",
])
def test_an_invalid_partial_response_fails_the_whole_batch(world, response):
    put(world, goods(3))
    config = {"FunctionResponseTypes": ["ReportBatchItemFailures"], "MaximumRetryAttempts": 0}
    metrics = KinesisEventSourceMapping(world, STREAM, lambda e, c: response, config).run()
    assert metrics.failed_invocations == 1 and metrics.processed == {}


@pytest.mark.parametrize("response", [None, {}, {"batchItemFailures": []},
                                      {"batchItemFailures": None}])
def test_empty_responses_are_complete_success(world, response):
    put(world, goods(3))
    config = {"FunctionResponseTypes": ["ReportBatchItemFailures"]}
    metrics = KinesisEventSourceMapping(world, STREAM, lambda e, c: response, config).run()
    assert len(metrics.processed) == 3 and metrics.failed_invocations == 0


def test_parallelization_keeps_other_keys_moving_and_each_key_in_order(world):
    put(world, [POISON], key="stuck")
    for i in range(5):
        put(world, [f"a-{i}".encode()], key="a")
        put(world, [f"b-{i}".encode()], key="b")
    handler = Recorder()
    mapping = KinesisEventSourceMapping(world, STREAM, handler, {"ParallelizationFactor": 10})
    metrics = mapping.run(until_s=600)
    assert [d for d in handler.seen if d.startswith(b"a")] == [f"a-{i}".encode() for i in range(5)]
    assert len(metrics.processed) == 10  # all but the pill's lane


def test_records_expire_with_the_streams_retention_and_are_lost(world):
    put(world, goods(3))
    clock = world.clock
    clock.advance(DAY_S + 1)
    metrics = KinesisEventSourceMapping(world, STREAM, Recorder()).run()
    assert metrics.invocations == 0 and metrics.lost_to_expiry == 3


def test_a_function_past_its_timeout_fails_the_invocation(world):
    put(world, goods(1))
    function = Function(lambda e, c: None, timeout_s=3, duration_s=5)
    metrics = KinesisEventSourceMapping(world, STREAM, function,
                                        {"MaximumRetryAttempts": 1}).run()
    assert metrics.failed_invocations == 2 and "timed out" in metrics.events[1][2]


def test_the_time_a_handler_waits_counts_towards_its_run(world):
    """A handler that waits 4 s (on a slow dependency) ends 4 s later, while the rest of
    the world goes on from when it began; past its timeout it fails as Lambda's does."""
    put(world, goods(2))
    started, ended = [], []

    def slow(event, context):
        started.append(world.clock.now())
        world.clock.advance(4.0)

    function = Function(slow, timeout_s=10, duration_s=0.5)
    mapping = KinesisEventSourceMapping(world, STREAM, function)
    mapping.timeline.at(1.0, lambda: ended.append(world.clock.now()))
    metrics = mapping.run(until_s=20)
    assert metrics.failed_invocations == 0 and started == [0.0]
    assert ended == [1.0]  # other actions ran while the handler waited
    assert metrics.processed and mapping.clock.now() == 20
    put(world, goods(1, start=2))
    hung = KinesisEventSourceMapping(world, STREAM, Function(slow, timeout_s=3),
                                     {"MaximumRetryAttempts": 0, "StartingPosition": "LATEST"})
    put(world, goods(1, start=3))
    assert "timed out" in hung.run(until_s=40).events[1][2]


# -- SQS -------------------------------------------------------------------------------------


@pytest.fixture
def queue(world):
    sqs = world.client("sqs")
    redrive = {"deadLetterTargetArn": world.queue_arn(DESTINATION), "maxReceiveCount": 5}
    sqs.create_queue(QueueName=QUEUE, Attributes={"VisibilityTimeout": "60",
                                                  "RedrivePolicy": json.dumps(redrive)})
    url = sqs.get_queue_url(QueueName=QUEUE)["QueueUrl"]

    def send(*bodies):
        for body in bodies:
            sqs.send_message(QueueUrl=url, MessageBody=body)

    return send


class SqsRecorder:
    def __init__(self, report=True):
        self.seen, self.report = [], report

    def __call__(self, event, context):
        failures = []
        for record in event["Records"]:
            self.seen.append((record["body"], context.get_remaining_time_in_millis()))
            if record["body"] == "poison":
                if not self.report:
                    raise ValueError("cannot parse the message")
                failures.append({"itemIdentifier": record["messageId"]})
        return {"batchItemFailures": failures}


REPORT = {"FunctionResponseTypes": ["ReportBatchItemFailures"]}


def test_sqs_event_has_lambdas_shape(world, queue):
    queue("hello")
    events = []
    SqsEventSourceMapping(world, QUEUE, lambda e, c: events.append(e)).run()
    (record,) = events[0]["Records"]
    assert set(record) == {"messageId", "receiptHandle", "body", "attributes",
                           "messageAttributes", "md5OfBody", "eventSource", "eventSourceARN",
                           "awsRegion"}
    assert record["eventSource"] == "aws:sqs" and record["body"] == "hello"
    assert record["attributes"]["ApproximateReceiveCount"] == "1"
    assert record["attributes"]["SentTimestamp"] == str(int(SIM_EPOCH_S * 1000))


def test_an_error_returns_the_whole_batch_after_the_visibility_timeout(world, queue):
    queue("a", "poison", "b")
    handler = SqsRecorder(report=False)
    metrics = SqsEventSourceMapping(world, QUEUE, handler).run(until_s=59)
    assert metrics.invocations == 1 and not metrics.processed
    metrics = SqsEventSourceMapping(world, QUEUE, handler).run(until_s=61)
    assert [body for body, _ in handler.seen].count("a") == 2  # good messages again


def test_a_partial_response_returns_only_the_failed_messages(world, queue):
    queue("a", "poison", "b")
    handler = SqsRecorder()
    metrics = SqsEventSourceMapping(world, QUEUE, handler, REPORT).run(until_s=3600)
    assert len(metrics.processed) == 2 and metrics.redeliveries == 4  # the pill, 5 receives
    assert sorted(b for b, _ in handler.seen).count("a") == 1


def test_an_invalid_partial_response_fails_the_whole_sqs_batch(world, queue):
    queue("a", "b")
    bad = {"batchItemFailures": [{"itemIdentifier": "no-such-message"}]}
    metrics = SqsEventSourceMapping(world, QUEUE, lambda e, c: bad, REPORT).run(until_s=30)
    assert metrics.failed_invocations == 1 and not metrics.processed


def test_messages_move_to_the_dlq_after_max_receive_count(world, queue):
    queue("poison")
    mapping = SqsEventSourceMapping(world, QUEUE, SqsRecorder(), REPORT)
    metrics = mapping.run(until_s=3600)
    assert metrics.invocations == 5
    assert mapping.queue_depth(world.queue_urls[DESTINATION]) == 1 and mapping.queue_depth() == 0


def test_a_function_timeout_over_the_visibility_timeout_is_refused_as_lambda_refuses_it(
        world, queue):
    """Lambda checks it on CreateEventSourceMapping, with these words."""
    with pytest.raises(InvalidParameterValue) as refused:
        SqsEventSourceMapping(world, QUEUE, Function(SqsRecorder(), timeout_s=120))
    assert str(refused.value) == ("Queue visibility timeout: 60 seconds is less than "
                                  "Function timeout: 120 seconds")
    with pytest.raises(InvalidParameterValue, match="less than Function timeout: 60.5 seconds"):
        SqsEventSourceMapping(world, QUEUE, Function(SqsRecorder(), timeout_s=60.5),
                              {"Enabled": False})  # a disabled mapping is created too
    SqsEventSourceMapping(world, QUEUE, Function(SqsRecorder(), timeout_s=60))  # equal: taken


def test_enabling_a_mapping_checks_the_visibility_timeout_again(world, queue):
    """UpdateEventSourceMapping checks too: the queue may have changed since."""
    mapping = SqsEventSourceMapping(world, QUEUE, Function(SqsRecorder(), timeout_s=60),
                                    {"Enabled": False})
    sqs = world.client("sqs")
    sqs.set_queue_attributes(QueueUrl=sqs.get_queue_url(QueueName=QUEUE)["QueueUrl"],
                             Attributes={"VisibilityTimeout": "30"})
    with pytest.raises(InvalidParameterValue, match="30 seconds is less than"):
        mapping.enable()
    assert not mapping.pollers and mapping.config["Enabled"] is False


def test_a_function_that_times_out_returns_its_batch_and_repeats_its_work(world, queue):
    """Past its timeout the invocation fails, though the handler's work so far is done: the
    whole batch comes back after the visibility timeout, to be processed again."""
    queue(*[f"m{i}" for i in range(10)])
    handler = SqsRecorder()
    slow = Function(handler, timeout_s=30, duration_s=45)
    mapping = SqsEventSourceMapping(world, QUEUE, slow, REPORT)
    metrics = mapping.run(until_s=600)
    assert metrics.failed_invocations == metrics.invocations and not metrics.processed
    assert metrics.redeliveries == 40  # ten messages, five receives each
    assert [body for body, _ in handler.seen].count("m0") == 5
    assert mapping.queue_depth(world.queue_urls[DESTINATION]) == 10  # good jobs, in the DLQ


def test_context_reports_the_remaining_time(world, queue):
    queue("a")
    handler = SqsRecorder()
    SqsEventSourceMapping(world, QUEUE, Function(handler, timeout_s=10)).run()
    assert handler.seen == [("a", 10_000)]


# -- Powertools ------------------------------------------------------------------------------


def test_a_powertools_batch_handler_runs_unmodified_through_both_emulators(world, queue):
    from aws_lambda_powertools.utilities.batch import (
        BatchProcessor,
        EventType,
        process_partial_response,
    )

    processed = []

    def record_handler(record):
        body = record.body if hasattr(record, "body") else record.kinesis.data_as_bytes()
        body = body.decode() if isinstance(body, bytes) else body
        if body == "poison":
            raise ValueError("cannot parse")
        processed.append(body)

    def handler_for(event_type):
        processor = BatchProcessor(event_type=event_type)

        def lambda_handler(event, context):
            return process_partial_response(event=event, record_handler=record_handler,
                                            processor=processor, context=context)

        return lambda_handler

    queue("a", "poison", "b")
    sqs_metrics = SqsEventSourceMapping(world, QUEUE, handler_for(EventType.SQS),
                                        REPORT).run(until_s=3600)
    assert sorted(processed) == ["a", "b"] and len(sqs_metrics.processed) == 2

    processed.clear()
    put(world, [b"c", POISON, b"d"])
    config = {**REPORT, "MaximumRetryAttempts": 1}
    kinesis_metrics = KinesisEventSourceMapping(world, STREAM, handler_for(
        EventType.KinesisDataStreams), config).run()
    assert processed[:2] == ["c", "d"] and kinesis_metrics.processed["shardId-000000000000:1"]


@given(st.lists(st.tuples(st.integers(0, 3), st.integers(1, 4), st.floats(0, 2 * DAY_S)),
                min_size=1, max_size=6))
@settings(max_examples=25, deadline=None, database=None, derandomize=True)
def test_an_empty_read_is_skipped_exactly_when_get_records_would_return_nothing(steps):
    """The poller skips a read its shard peek calls empty: the peek must agree with the
    GetRecords call it stands for, past retention too, and an empty read must hand back
    the iterator it was given (so nothing differs when it is skipped)."""
    clock = SimClock()
    with aws_sandbox(streams={STREAM: 1}, clock=clock) as aws:
        kinesis = aws.client("kinesis")
        shard = kinesis.list_shards(StreamName=STREAM)["Shards"][0]["ShardId"]
        iterator = kinesis.get_shard_iterator(StreamName=STREAM, ShardId=shard,
                                              ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        for written, limit, wait_s in steps:
            if written:
                put(aws, goods(written))
            clock.advance(wait_s)
            expected = holds_records_after(iterator)
            page = kinesis.get_records(ShardIterator=iterator, Limit=limit)
            assert expected == bool(page["Records"])
            if not page["Records"]:
                assert page["NextShardIterator"] == iterator
            iterator = page["NextShardIterator"]


def test_the_shard_peek_leaves_an_iterator_moto_cannot_read_to_the_real_call(world):
    """An iterator moto cannot read is the real GetRecords call's to refuse, as AWS would."""
    assert holds_records_after("not an iterator")

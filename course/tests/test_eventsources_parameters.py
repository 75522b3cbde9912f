"""The event source mapping emulators take every parameter CreateEventSourceMapping takes for
their source, refuse what Lambda refuses, and do what the modelled parameters say."""

import base64
import datetime
import json

import botocore.session
import pytest

from resilience.aws import facts
from resilience.aws.eventfilters import kinesis_filter_view, passes_filters, sqs_filter_view
from resilience.aws.facts import (
    KINESIS_SOURCE,
    MAPPING_PARAMETER_SOURCES,
    SQS_SOURCE,
    mapping_parameters,
    queue_arn,
    stream_arn,
)
from resilience.aws.motoclock import SIM_EPOCH_S
from resilience.checks.explain import explain, explain_error
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

STREAM, QUEUE, DLQ, DESTINATION = "orders", "work", "work-dlq", "failures"
TOPIC, BUCKET = "failures-topic", "failures-bucket"
KMS_KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"


def pattern(rules: dict) -> dict:
    """FilterCriteria holding one filter of these rules."""
    return {"Filters": [{"Pattern": json.dumps(rules)}]}


# Every parameter of each source with a valid value, as the config that passes it (a
# timestamp needs its AT_TIMESTAMP).
KINESIS_VALID = {
    "BatchSize": {"BatchSize": 10_000},
    "BisectBatchOnFunctionError": {"BisectBatchOnFunctionError": True},
    "DestinationConfig": {"DestinationConfig": {"OnFailure": {
        "Destination": queue_arn(DESTINATION)}}},
    "Enabled": {"Enabled": False},
    "EventSourceArn": {"EventSourceArn": stream_arn(STREAM)},
    "FilterCriteria": {"FilterCriteria": pattern({"data": {"kind": ["order"]}})},
    "FunctionName": {"FunctionName": "handler"},
    "FunctionResponseTypes": {"FunctionResponseTypes": ["ReportBatchItemFailures"]},
    "KMSKeyArn": {"KMSKeyArn": KMS_KEY},
    "MaximumBatchingWindowInSeconds": {"MaximumBatchingWindowInSeconds": 5},
    "MaximumRecordAgeInSeconds": {"MaximumRecordAgeInSeconds": 3600},
    "MaximumRetryAttempts": {"MaximumRetryAttempts": 2},
    "MetricsConfig": {"MetricsConfig": {"Metrics": ["EventCount"]}},
    "ParallelizationFactor": {"ParallelizationFactor": 4},
    "StartingPosition": {"StartingPosition": "LATEST"},
    "StartingPositionTimestamp": {"StartingPosition": "AT_TIMESTAMP",
                                  "StartingPositionTimestamp": SIM_EPOCH_S},
    "Tags": {"Tags": {"team": "orders", "cost-center": "4 2"}},
    "TumblingWindowInSeconds": {"TumblingWindowInSeconds": 900},
}
SQS_VALID = {
    "BatchSize": {"BatchSize": 10_000, "MaximumBatchingWindowInSeconds": 1},
    "Enabled": {"Enabled": True},
    "EventSourceArn": {"EventSourceArn": queue_arn(QUEUE)},
    "FilterCriteria": {"FilterCriteria": pattern({"body": {"kind": ["order"]}})},
    "FunctionName": {"FunctionName": "arn:aws:lambda:us-east-1:123456789012:function:h:PROD"},
    "FunctionResponseTypes": {"FunctionResponseTypes": ["ReportBatchItemFailures"]},
    "KMSKeyArn": {"KMSKeyArn": KMS_KEY},
    "MaximumBatchingWindowInSeconds": {"MaximumBatchingWindowInSeconds": 300},
    "MetricsConfig": {"MetricsConfig": {"Metrics": ["EventCount"]}},
    "ProvisionedPollerConfig": {"ProvisionedPollerConfig": {"MinimumPollers": 2,
                                                            "MaximumPollers": 10}},
    "ScalingConfig": {"ScalingConfig": {"MaximumConcurrency": 2}},
    "Tags": {"Tags": {}},
}


@pytest.fixture
def world():
    with aws_sandbox(streams={STREAM: 1}, queues=[DESTINATION], clock=SimClock()) as aws:
        yield aws


def put(aws, payloads, key="key"):
    aws.client("kinesis").put_records(StreamName=STREAM, Records=[
        {"Data": data, "PartitionKey": key} for data in payloads])


def data_of(record):
    return base64.b64decode(record["kinesis"]["data"])


class Seen:
    """A handler that remembers each batch it was handed (its data or bodies, in order)."""

    def __init__(self):
        self.batches = []

    def __call__(self, event, context):
        self.batches.append([data_of(r) if "kinesis" in r else r["body"]
                             for r in event["Records"]])

    @property
    def items(self):
        return [item for batch in self.batches for item in batch]


# -- every parameter of a source is accepted; the others are refused ------------------------


def test_the_tables_hold_every_parameter_of_each_source():
    assert set(KINESIS_VALID) == mapping_parameters(KINESIS_SOURCE)
    assert set(SQS_VALID) == mapping_parameters(SQS_SOURCE)


@pytest.mark.parametrize("config", KINESIS_VALID.values(), ids=KINESIS_VALID)
def test_every_kinesis_parameter_is_accepted(config):
    assert kinesis_config(config).items() >= config.items()


@pytest.mark.parametrize("config", SQS_VALID.values(), ids=SQS_VALID)
def test_every_sqs_parameter_is_accepted(config):
    assert sqs_config(config).items() >= config.items()


def test_a_mapping_takes_all_of_its_parameters_at_once(world):
    config = {name: value for each in KINESIS_VALID.values() for name, value in each.items()}
    KinesisEventSourceMapping(world, STREAM, Seen(), config).run()
    world.client("sqs").create_queue(QueueName=QUEUE)
    config = {name: value for each in SQS_VALID.values() for name, value in each.items()}
    SqsEventSourceMapping(world, QUEUE, Seen(), config).run(until_s=1)


@pytest.mark.parametrize("name", sorted(set(MAPPING_PARAMETER_SOURCES)
                                        - mapping_parameters(KINESIS_SOURCE)))
def test_parameters_of_other_sources_are_refused_on_a_stream(name):
    with pytest.raises(InvalidParameterValue, match=f"{name} is not valid for Kinesis event "
                                                    "sources"):
        kinesis_config({name: {}})


@pytest.mark.parametrize("name", sorted(set(MAPPING_PARAMETER_SOURCES)
                                        - mapping_parameters(SQS_SOURCE)))
def test_parameters_of_other_sources_are_refused_on_a_queue(name):
    with pytest.raises(InvalidParameterValue, match=f"{name} is not valid for SQS event sources"):
        sqs_config({name: "TRIM_HORIZON"})


def test_the_refusal_names_the_sources_a_parameter_applies_to():
    with pytest.raises(InvalidParameterValue, match="applies to Kinesis, DynamoDB Streams, "
                                                    "Amazon MSK, self-managed Apache Kafka"):
        sqs_config({"DestinationConfig": {}})


@pytest.mark.parametrize("config", [{"Batchsize": 10}, {"MaximumRetries": 2}, {"Stream": "x"}])
def test_names_createeventsourcemapping_does_not_have_are_refused(config):
    with pytest.raises(InvalidParameterValue, match="not a parameter of CreateEventSourceMapping"):
        kinesis_config(config)
    with pytest.raises(InvalidParameterValue, match="not a parameter of CreateEventSourceMapping"):
        sqs_config(config)


def test_the_two_correct_answers_that_lost_points_are_accepted(world):
    """A Kinesis batching window and an explicit Enabled on a queue are AWS parameters."""
    put(world, [b"a", b"b"])
    kinesis = KinesisEventSourceMapping(world, STREAM, Seen(),
                                        {"MaximumBatchingWindowInSeconds": 5})
    assert len(kinesis.run().processed) == 2
    sqs = world.client("sqs")
    url = sqs.create_queue(QueueName=QUEUE)["QueueUrl"]
    sqs.send_message(QueueUrl=url, MessageBody="job")
    queue = SqsEventSourceMapping(world, QUEUE, Seen(), {"Enabled": True, "BatchSize": 10})
    assert len(queue.run(until_s=world.clock.now() + 5).processed) == 1


# -- ranges and types ------------------------------------------------------------------------

KINESIS_RANGES = [  # name, lowest, highest, -1 allowed
    ("BatchSize", 1, 10_000, False),
    ("MaximumBatchingWindowInSeconds", 0, 300, False),
    ("MaximumRecordAgeInSeconds", 60, 604_800, True),
    ("MaximumRetryAttempts", 0, 10_000, True),
    ("ParallelizationFactor", 1, 10, False),
    ("TumblingWindowInSeconds", 0, 900, False),
]
SQS_RANGES = [  # name, how a value goes in the config, lowest, highest
    ("BatchSize", lambda v: {"BatchSize": v, "MaximumBatchingWindowInSeconds": 1}, 1, 10_000),
    ("MaximumBatchingWindowInSeconds", lambda v: {"MaximumBatchingWindowInSeconds": v}, 0, 300),
    ("MaximumConcurrency", lambda v: {"ScalingConfig": {"MaximumConcurrency": v}}, 2, 1000),
    ("MinimumPollers", lambda v: {"ProvisionedPollerConfig": {"MinimumPollers": v}}, 2, 200),
    ("MaximumPollers", lambda v: {"ProvisionedPollerConfig": {"MaximumPollers": v}}, 2, 10_000),
]
NOT_INTEGERS = [True, False, 10.0, 1.5, "10", None, [10]]


@pytest.mark.parametrize("name, low, high, forever", KINESIS_RANGES)
def test_kinesis_ranges_hold_on_both_sides(name, low, high, forever):
    for value in (low, high, *([-1] if forever else [])):
        assert kinesis_config({name: value})[name] == value
    below = -2 if forever and low == 0 else low - 1  # -1 itself means "forever" there
    for value in (below, high + 1):
        with pytest.raises(InvalidParameterValue, match=f"{name} must be an integer"):
            kinesis_config({name: value})


@pytest.mark.parametrize("name, low, high, forever", KINESIS_RANGES)
@pytest.mark.parametrize("value", NOT_INTEGERS)
def test_kinesis_integers_must_be_integers(name, low, high, forever, value):
    with pytest.raises(InvalidParameterValue, match=f"{name} must be an integer"):
        kinesis_config({name: value})


@pytest.mark.parametrize("name, config_of, low, high", SQS_RANGES,
                         ids=[r[0] for r in SQS_RANGES])
def test_sqs_ranges_hold_on_both_sides(name, config_of, low, high):
    for value in (low, high):
        sqs_config(config_of(value))
    for value in (low - 1, high + 1, *NOT_INTEGERS):
        with pytest.raises(InvalidParameterValue, match=f"{name} must be an integer"):
            sqs_config(config_of(value))


@pytest.mark.parametrize("value", [1, 0, "true", None])
def test_booleans_must_be_booleans(value):
    with pytest.raises(InvalidParameterValue, match="Enabled must be true or false"):
        sqs_config({"Enabled": value})
    with pytest.raises(InvalidParameterValue, match="BisectBatchOnFunctionError must be true"):
        kinesis_config({"BisectBatchOnFunctionError": value})


@pytest.mark.parametrize("config, fragment", [
    ({"StartingPosition": "EARLIEST"}, "TRIM_HORIZON, LATEST, AT_TIMESTAMP"),
    ({"StartingPosition": "AT_TIMESTAMP"}, "StartingPositionTimestamp goes with"),
    ({"StartingPositionTimestamp": SIM_EPOCH_S}, "StartingPositionTimestamp goes with"),
    ({"StartingPosition": "AT_TIMESTAMP", "StartingPositionTimestamp": "yesterday"},
     "must be a time"),
    ({"StartingPosition": "AT_TIMESTAMP", "StartingPositionTimestamp": True}, "must be a time"),
    ({"FunctionResponseTypes": "ReportBatchItemFailures"}, "must be a list"),
    ({"FunctionResponseTypes": ["ReportBatchItemFailures"] * 2}, "at most"),
    ({"DestinationConfig": None}, "must be an object"),
    ({"DestinationConfig": {"OnSuccess": {"Destination": queue_arn(DESTINATION)}}},
     "OnSuccess is not supported"),
    ({"DestinationConfig": {"OnFailure": {"Destination": "arn:aws:lambda:us-east-1:"
                                                         "123456789012:function:f"}}},
     "ARN of an SQS queue, an SNS topic or an S3 bucket"),
    ({"DestinationConfig": {"OnFailure": {"Arn": queue_arn(DESTINATION)}}}, "no field Arn"),
    ({"MetricsConfig": {"Metrics": ["ErrorCount"]}}, "Kafka event source mappings only"),
    ({"MetricsConfig": {"Metrics": ["Invocations"]}}, "must be a list of EventCount"),
    ({"KMSKeyArn": "my-key"}, "ARN of a KMS key"),
    ({"Tags": {"": "x"}}, "Tags must map keys of 1 to 128"),
    ({"Tags": {"team": "a" * 257}}, "Tags must map keys"),
    ({"Tags": {"team": "orders!"}}, "Tags must map keys"),
    ({"Tags": [("team", "orders")]}, "Tags must map keys"),
    ({"FunctionName": "f" * 65}, "FunctionName must be a function name"),
    ({"FunctionName": ""}, "FunctionName must be a function name"),
    ({"EventSourceArn": queue_arn(QUEUE)}, "ARN of the kinesis resource"),
])
def test_kinesis_values_aws_refuses_are_refused(config, fragment):
    with pytest.raises(InvalidParameterValue, match=fragment):
        kinesis_config(config)


@pytest.mark.parametrize("config, fragment", [
    ({"BatchSize": 11}, "Maximum batch window in seconds must be greater than 0 if maximum "
                        "batch size is greater than 10"),
    ({"ScalingConfig": {"MaximumConcurrency": 5, "MinimumConcurrency": 2}},
     "no field MinimumConcurrency"),
    ({"ProvisionedPollerConfig": {"MinimumPollers": 20, "MaximumPollers": 10}},
     "MinimumPollers must not exceed MaximumPollers"),
    ({"ProvisionedPollerConfig": {"PollerGroupName": "group"}}, "PollerGroupName is not valid"),
    ({"MetricsConfig": {"Metrics": ["KafkaMetrics"]}}, "Kafka event source mappings only"),
    ({"EventSourceArn": stream_arn(STREAM)}, "ARN of the sqs resource"),
])
def test_sqs_values_aws_refuses_are_refused(config, fragment):
    with pytest.raises(InvalidParameterValue, match=fragment):
        sqs_config(config)


def test_a_fifo_queue_takes_ten_messages_a_batch_and_no_window():
    assert sqs_config({"BatchSize": 10}, fifo=True)["BatchSize"] == 10
    with pytest.raises(InvalidParameterValue, match="between 1 and 10 .* FIFO queue"):
        sqs_config({"BatchSize": 11, "MaximumBatchingWindowInSeconds": 1}, fifo=True)
    with pytest.raises(InvalidParameterValue, match="not supported for FIFO queues"):
        sqs_config({"MaximumBatchingWindowInSeconds": 1}, fifo=True)


@pytest.mark.parametrize("criteria, fragment", [
    ({"Filters": [{"Pattern": json.dumps({"n": [i]})} for i in range(6)]}, "at most 5"),
    ({"Filters": [{"Pattern": "{not json"}]}, "must be a JSON object"),
    ({"Filters": [{"Pattern": "[1, 2]"}]}, "must be a JSON object"),
    ({"Filters": [{"Pattern": json.dumps({"n": [0] * 2000})}]}, "at most 4096 characters"),
    ({"Filters": [{"Pattern": json.dumps({"n": "order"})}]}, "must be a list of rules"),
    ({"Filters": [{"Pattern": json.dumps({"n": [{"wildcard": "o*"}]})}]}, "'wildcard', not"),
    ({"Filters": [{"Pattern": json.dumps({"n": [{"numeric": [">", "1"]}]})}]}, "operand"),
    ({"Filters": [{"Pattern": json.dumps({"n": [{"exists": "yes"}]})}]}, "operand"),
    ({"Filters": [{"Pattern": json.dumps({"n": [{"prefix": "a", "suffix": "b"}]})}]},
     "one comparison operator"),
    ({"Filters": [{"pattern": "{}"}]}, "no field pattern"),
    ({"Filters": {"Pattern": "{}"}}, "must be a list"),
    ({"Patterns": []}, "no field Patterns"),
])
def test_filter_criteria_lambda_refuses_are_refused(criteria, fragment):
    with pytest.raises(InvalidParameterValue, match=fragment):
        sqs_config({"FilterCriteria": criteria})
    with pytest.raises(InvalidParameterValue, match=fragment):
        kinesis_config({"FilterCriteria": criteria})


def test_a_stream_refuses_a_plain_string_pattern_for_its_data_a_queue_takes_one():
    plain = pattern({"body": ["job"]})
    assert sqs_config({"FilterCriteria": plain})["FilterCriteria"] == plain
    with pytest.raises(InvalidParameterValue, match="'data' must be in a valid JSON format"):
        kinesis_config({"FilterCriteria": pattern({"data": ["job"]})})


def test_a_mapping_checks_what_only_its_source_knows(world):
    with pytest.raises(InvalidParameterValue, match="but this mapping reads"):
        KinesisEventSourceMapping(world, STREAM, Seen(),
                                  {"EventSourceArn": stream_arn("another-stream")})
    future = {"StartingPosition": "AT_TIMESTAMP", "StartingPositionTimestamp": SIM_EPOCH_S + 60}
    with pytest.raises(InvalidParameterValue, match="cannot be in the future"):
        KinesisEventSourceMapping(world, STREAM, Seen(), future)
    world.client("sqs").create_queue(QueueName="jobs.fifo", Attributes={"FifoQueue": "true"})
    with pytest.raises(InvalidParameterValue, match="FIFO"):
        SqsEventSourceMapping(world, "jobs.fifo", Seen(), {"BatchSize": 20,
                                                           "MaximumBatchingWindowInSeconds": 1})
    world.client("sqs").create_queue(QueueName=QUEUE)  # SQS's default visibility, 30 s
    with pytest.raises(InvalidParameterValue, match="^Queue visibility timeout: 30 seconds is "
                       "less than Function timeout: 31 seconds$"):
        SqsEventSourceMapping(world, QUEUE, Function(Seen(), timeout_s=31))


def test_the_facts_agree_with_the_pinned_botocores_model_of_the_api():
    """The API reference's numbers, as botocore ships them: a drift shows here."""
    model = botocore.session.get_session().get_service_model("lambda")
    request = model.operation_model("CreateEventSourceMapping").input_shape
    assert set(MAPPING_PARAMETER_SOURCES) == set(request.members)

    def bounds(shape):
        return shape.metadata.get("min"), shape.metadata.get("max")

    members = request.members
    assert bounds(members["BatchSize"]) == (1, facts.MAPPING_MAX_BATCH_SIZE)
    assert bounds(members["MaximumBatchingWindowInSeconds"]) == (
        0, facts.MAPPING_MAX_BATCHING_WINDOW_S)
    assert bounds(members["MaximumRetryAttempts"]) == (-1, facts.MAPPING_MAX_RETRY_ATTEMPTS)
    assert bounds(members["MaximumRecordAgeInSeconds"])[1] == facts.MAPPING_MAX_RECORD_AGE_S
    assert bounds(members["ParallelizationFactor"]) == (1, facts.MAX_PARALLELIZATION_FACTOR)
    assert bounds(members["TumblingWindowInSeconds"]) == (0, facts.MAPPING_MAX_TUMBLING_WINDOW_S)
    assert bounds(members["ScalingConfig"].members["MaximumConcurrency"]) == (
        facts.SQS_MAPPING_CONCURRENCY_RANGE)
    pollers = members["ProvisionedPollerConfig"].members
    assert bounds(pollers["MinimumPollers"])[1] == facts.SQS_MIN_POLLERS_RANGE[1]
    assert bounds(pollers["MaximumPollers"])[1] == facts.SQS_MAX_POLLERS_RANGE[1]
    filters = members["FilterCriteria"].members["Filters"]
    assert bounds(filters.member.members["Pattern"])[1] == facts.FILTER_PATTERN_MAX_CHARS
    assert bounds(members["Tags"].key)[1] == facts.TAG_KEY_MAX_CHARS
    assert bounds(members["Tags"].value)[1] == facts.TAG_VALUE_MAX_CHARS
    assert tuple(members["StartingPosition"].enum) == facts.KINESIS_STARTING_POSITIONS
    assert tuple(members["MetricsConfig"].members["Metrics"].member.enum) == (
        facts.MAPPING_METRICS)
    assert members["FunctionResponseTypes"].member.enum == [facts.REPORT_BATCH_ITEM_FAILURES]


# -- Enabled ---------------------------------------------------------------------------------


def test_a_disabled_kinesis_mapping_polls_nothing_until_enabled(world):
    put(world, [b"a", b"b", b"c"])
    handler = Seen()
    mapping = KinesisEventSourceMapping(world, STREAM, handler, {"Enabled": False})
    assert mapping.run(until_s=3600).invocations == 0 and handler.items == []
    mapping.enable()
    assert len(mapping.run().processed) == 3 and handler.items == [b"a", b"b", b"c"]


def test_a_disabled_sqs_mapping_polls_nothing_until_enabled(world):
    sqs = world.client("sqs")
    url = sqs.create_queue(QueueName=QUEUE)["QueueUrl"]
    sqs.send_message(QueueUrl=url, MessageBody="job")
    mapping = SqsEventSourceMapping(world, QUEUE, Seen(), {"Enabled": False})
    assert mapping.run(until_s=3600).invocations == 0 and mapping.queue_depth() == 1
    mapping.enable()
    assert len(mapping.run(until_s=3601).processed) == 1 and mapping.queue_depth() == 0


# -- FilterCriteria --------------------------------------------------------------------------


def test_kinesis_filters_drop_what_does_not_match_and_the_shard_moves_on(world):
    orders = [json.dumps({"kind": "order", "n": n}).encode() for n in range(3)]
    put(world, [orders[0], b'{"kind": "refund"}', b"not json", orders[1], b"[1, 2]", orders[2]])
    handler = Seen()
    config = {"FilterCriteria": pattern({"data": {"kind": ["order"]}})}
    metrics = KinesisEventSourceMapping(world, STREAM, handler, config).run()
    assert handler.items == orders and len(metrics.processed) == 3
    assert len(metrics.filtered) == 3 and metrics.lost_to_expiry == 0


def test_without_filters_every_record_is_delivered(world):
    put(world, [b"not json", b'{"kind": "refund"}'])
    handler = Seen()
    assert len(KinesisEventSourceMapping(world, STREAM, handler).run().filtered) == 0
    assert handler.items == [b"not json", b'{"kind": "refund"}']


@pytest.fixture
def queue(world):
    sqs = world.client("sqs")
    dlq_url = sqs.create_queue(QueueName=DLQ)["QueueUrl"]
    redrive = {"deadLetterTargetArn": world.queue_arn(DLQ), "maxReceiveCount": 1}
    url = sqs.create_queue(QueueName=QUEUE, Attributes={
        "RedrivePolicy": json.dumps(redrive)})["QueueUrl"]

    def send(*bodies):
        for body in bodies:
            sqs.send_message(QueueUrl=url, MessageBody=body)

    send.dlq_url = dlq_url
    return send


def test_sqs_filters_deliver_matches_and_delete_the_rest(world, queue):
    queue('{"kind": "order", "n": 1}', '{"kind": "refund"}', "not json", '{"kind": "order"}')
    handler = Seen()
    config = {"FilterCriteria": pattern({"body": {"kind": ["order"]}})}
    mapping = SqsEventSourceMapping(world, QUEUE, handler, config)
    metrics = mapping.run(until_s=600)
    assert sorted(handler.items) == ['{"kind": "order", "n": 1}', '{"kind": "order"}']
    assert len(metrics.filtered) == 2
    assert mapping.queue_depth() == 0 and mapping.queue_depth(queue.dlq_url) == 0  # deleted


def test_a_plain_string_pattern_matches_plain_bodies_only(world, queue):
    queue("urgent", '"urgent"', '{"urgent": true}', "later")
    handler = Seen()
    config = {"FilterCriteria": pattern({"body": ["urgent"]})}
    SqsEventSourceMapping(world, QUEUE, handler, config).run(until_s=60)
    assert handler.items == ["urgent"]  # '"urgent"' is JSON: a plain pattern drops it


def kinesis_view(data: bytes, key="key") -> dict:
    record = {"kinesis": {"partitionKey": key, "sequenceNumber": "1",
                          "data": base64.b64encode(data).decode()}}
    return kinesis_filter_view(record)


@pytest.mark.parametrize("rules, matching, other", [
    ({"kind": ["order"]}, {"kind": "order"}, {"kind": "Order"}),
    ({"kind": ["order", "refund"]}, {"kind": "refund"}, {"kind": "return"}),
    ({"kind": [{"prefix": "ord"}]}, {"kind": "order"}, {"kind": "reorder"}),
    ({"kind": [{"suffix": "der"}]}, {"kind": "reorder"}, {"kind": "orders"}),
    ({"kind": [{"equals-ignore-case": "ORDER"}]}, {"kind": "Order"}, {"kind": "orders"}),
    ({"kind": [{"anything-but": ["refund"]}]}, {"kind": "order"}, {"kind": "refund"}),
    ({"kind": [{"anything-but": "refund"}]}, {"kind": "order"}, {}),
    ({"n": [{"numeric": [">", 10, "<=", 20]}]}, {"n": 20}, {"n": 10}),
    ({"n": [{"numeric": ["=", 5]}]}, {"n": 5.0}, {"n": "5"}),
    ({"n": [300]}, {"n": 300}, {"n": 300.0}),
    ({"n": [{"exists": True}]}, {"n": None}, {}),
    ({"n": [{"exists": False}]}, {}, {"n": 1}),
    ({"n": [None]}, {"n": None}, {}),
    ({"name": [""]}, {"name": ""}, {"name": " "}),
    ({"ok": [True]}, {"ok": True}, {"ok": 1}),
    ({"tags": ["red"]}, {"tags": ["blue", "red"]}, {"tags": ["blue"]}),
    ({"order": {"state": ["paid"]}}, {"order": {"state": "paid"}}, {"order": "paid"}),
    ({"kind": ["order"], "n": [1]}, {"kind": "order", "n": 1}, {"kind": "order", "n": 2}),
])
def test_filter_rules_match_as_lambdas_do(rules, matching, other):
    patterns = [{"data": rules}]
    assert passes_filters(patterns, kinesis_view(json.dumps(matching).encode()), "data")
    assert not passes_filters(patterns, kinesis_view(json.dumps(other).encode()), "data")


def test_filters_are_ored_and_see_the_records_other_fields():
    patterns = [{"data": {"kind": ["order"]}}, {"partitionKey": ["vip"]}]
    assert passes_filters(patterns, kinesis_view(b'{"kind": "order"}'), "data")
    assert passes_filters(patterns, kinesis_view(b"not json", key="vip"), "data")
    assert not passes_filters(patterns, kinesis_view(b"not json"), "data")
    record = {"messageId": "1", "body": '{"kind": "order"}', "attributes": {}}
    assert passes_filters([{"body": {"kind": ["order"]}}], sqs_filter_view(record), "body")


# -- MaximumBatchingWindowInSeconds on Kinesis -----------------------------------------------


def invocation_times(metrics):
    return [t for t, kind, _ in metrics.events if kind == "invoke"]


def test_a_batching_window_gathers_records_until_it_closes(world):
    put(world, [b"a", b"b", b"c"])
    handler = Seen()
    mapping = KinesisEventSourceMapping(world, STREAM, handler,
                                        {"MaximumBatchingWindowInSeconds": 10})
    mapping.timeline.at(5, lambda: put(world, [b"d", b"e"]))
    metrics = mapping.run()
    assert handler.batches == [[b"a", b"b", b"c", b"d", b"e"]]
    assert invocation_times(metrics) == [10]


def test_without_a_window_each_read_is_invoked_at_once(world):
    put(world, [b"a", b"b", b"c"])
    handler = Seen()
    mapping = KinesisEventSourceMapping(world, STREAM, handler)
    mapping.timeline.at(5, lambda: put(world, [b"d", b"e"]))
    first, second = invocation_times(mapping.run())
    assert first == 0 and 5 <= second < 6 and len(handler.batches) == 2  # the next poll


def test_a_full_batch_does_not_wait_for_the_window(world):
    put(world, [b"a", b"b", b"c", b"d"])
    handler = Seen()
    config = {"MaximumBatchingWindowInSeconds": 300, "BatchSize": 2}
    metrics = KinesisEventSourceMapping(world, STREAM, handler, config).run()
    assert handler.batches == [[b"a", b"b"], [b"c", b"d"]]
    assert invocation_times(metrics)[0] == 0


# -- StartingPosition and destinations -------------------------------------------------------


def test_latest_reads_only_what_is_written_after_the_mapping_starts(world):
    put(world, [b"old"])
    handler = Seen()
    mapping = KinesisEventSourceMapping(world, STREAM, handler, {"StartingPosition": "LATEST"})
    mapping.timeline.at(5, lambda: put(world, [b"new"]))
    mapping.run()
    assert handler.items == [b"new"]


def test_at_timestamp_reads_from_that_time(world):
    put(world, [b"before"])
    world.clock.advance(60)
    start = datetime.datetime.fromtimestamp(SIM_EPOCH_S + 30, datetime.UTC)
    put(world, [b"after"])
    handler = Seen()
    config = {"StartingPosition": "AT_TIMESTAMP", "StartingPositionTimestamp": start}
    KinesisEventSourceMapping(world, STREAM, handler, config).run()
    assert handler.items == [b"after"]


def failing(event, context):
    raise ValueError("cannot parse the record")


def test_discarded_batches_reach_an_sns_topic(world):
    sns, sqs = world.client("sns"), world.client("sqs")
    topic = sns.create_topic(Name=TOPIC)["TopicArn"]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=world.queue_arn(DESTINATION),
                  Attributes={"RawMessageDelivery": "true"})
    put(world, [b"pill"])
    config = {"MaximumRetryAttempts": 0, "DestinationConfig": {"OnFailure": {
        "Destination": topic}}}
    metrics = KinesisEventSourceMapping(world, STREAM, failing, config).run()
    (message,) = sqs.receive_message(QueueUrl=world.queue_urls[DESTINATION])["Messages"]
    assert metrics.sent_to_destination == 1
    assert json.loads(message["Body"])["KinesisBatchInfo"]["batchSize"] == 1


def test_discarded_batches_reach_an_s3_bucket(world):
    s3 = world.client("s3")
    s3.create_bucket(Bucket=BUCKET)
    put(world, [b"pill"])
    config = {"MaximumRetryAttempts": 0, "DestinationConfig": {"OnFailure": {
        "Destination": f"arn:aws:s3:::{BUCKET}"}}}
    KinesisEventSourceMapping(world, STREAM, failing, config).run()
    (listed,) = s3.list_objects_v2(Bucket=BUCKET)["Contents"]
    body = s3.get_object(Bucket=BUCKET, Key=listed["Key"])["Body"].read()
    assert json.loads(body)["requestContext"]["condition"] == "RetryAttemptsExhausted"


# -- the words a learner reads ---------------------------------------------------------------


def test_a_refused_mapping_is_not_reported_as_the_learners_exception():
    """The same words for the error itself and for its name and message alone (as it reaches
    the grader from the learner's process)."""
    with pytest.raises(InvalidParameterValue) as refused:
        kinesis_config({"MaximumRecordAgeInSeconds": 30})
    words = explain(refused.value)
    assert words == explain_error("InvalidParameterValue", str(refused.value))
    assert words.startswith("Lambda would refuse this event source mapping "
                            "(InvalidParameterValueException): MaximumRecordAgeInSeconds")
    assert "Your code raised" not in words


def test_a_queue_that_hides_messages_too_briefly_is_lambdas_refusal_not_the_learners_error(
        world):
    """The refusal of a function timeout over the queue's visibility timeout reads as
    Lambda's, in the kernel and in the grader alike."""
    world.client("sqs").create_queue(QueueName=QUEUE, Attributes={"VisibilityTimeout": "20"})
    with pytest.raises(InvalidParameterValue) as refused:
        SqsEventSourceMapping(world, QUEUE, Function(Seen(), timeout_s=120))
    words = explain(refused.value)
    assert words == explain_error("InvalidParameterValue", str(refused.value))
    assert words == ("Lambda would refuse this event source mapping "
                     "(InvalidParameterValueException): Queue visibility timeout: 20 seconds "
                     "is less than Function timeout: 120 seconds")

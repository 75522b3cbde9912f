"""Every AWS number the course states, each with the page of AWS's documentation that gives
it: the one place a value lives.

The emulators, the fault layer, the models and the labs' checks read their limits and
defaults from here, and the fact scan (``course/tests/test_aws_facts.py``) checks every
sentence of every chapter and lab against these values, so prose and code cannot drift
apart. Where the pinned botocore holds a value (its default timeouts and retry modes), it is
read from botocore itself: its defaults change between releases, and the course states the
ones in force.
"""

from __future__ import annotations

from functools import cache
from typing import NamedTuple

MiB = 1024 * 1024
SECONDS_PER_HOUR = 3600
SECONDS_PER_DAY = 24 * SECONDS_PER_HOUR

# -- the sandbox's account -------------------------------------------------------------------
REGION = "us-east-1"
ACCOUNT_ID = "123456789012"  # moto's default account


def arn(service: str, resource: str) -> str:
    """The ARN of a resource in the sandbox's account and region, as AWS forms it:
    ``arn("sqs", "jobs")`` is ``arn:aws:sqs:us-east-1:123456789012:jobs``. IAM is global,
    so its ARNs carry no region."""
    region = "" if service == "iam" else REGION
    return f"arn:aws:{service}:{region}:{ACCOUNT_ID}:{resource}"


def queue_arn(name: str) -> str:
    """The ARN of the sandbox's SQS queue ``name``."""
    return arn("sqs", name)


def stream_arn(name: str) -> str:
    """The ARN of the sandbox's Kinesis stream ``name``."""
    return arn("kinesis", f"stream/{name}")


def function_arn(name: str) -> str:
    """The ARN of a Lambda function ``name`` in the sandbox's account."""
    return arn("lambda", f"function:{name}")


# -- Kinesis Data Streams --------------------------------------------------------------------
# Kinesis Data Streams Developer Guide, "Quotas and limits"; API Reference, PutRecords.
KINESIS_SHARD_RECORDS_PER_S = 1000  # records written per shard per second
KINESIS_SHARD_BYTES_PER_S = 1 * MiB  # bytes written per shard per second
KINESIS_RECORD_MAX_BYTES = 1 * MiB  # one record, data blob + partition key (the default)
# A stream's maximum record size can be raised, up to 10 MiB (Developer Guide, "Handle large
# records"; API Reference, UpdateMaxRecordSize: MaxRecordSizeInKiB 1,024 to 10,240). The
# course's streams keep the default.
KINESIS_RECORD_MAX_BYTES_RAISED = 10 * MiB
PUT_RECORDS_MAX_RECORDS = 500  # records in one PutRecords request
# One PutRecords request, partition keys included (API Reference, PutRecords: "up to a limit
# of 10 MiB for the entire request"). It was 5 MiB until large records came (2025): older
# copies of the reference, SDK docs and moto still say 5.
PUT_RECORDS_MAX_BYTES = 10 * MiB
KINESIS_DEFAULT_RETENTION_S = 24 * SECONDS_PER_HOUR  # a stream keeps records 24 h by default
# A failed entry of a PutRecords response carries one of these error codes.
PUT_RECORDS_ERROR_CODES = ("ProvisionedThroughputExceededException", "InternalFailure")

# -- SQS -------------------------------------------------------------------------------------
# SQS Developer Guide, "Amazon SQS message quotas" and "visibility timeout";
# API Reference, SendMessageBatch, DeleteMessageBatch, ReceiveMessage, SetQueueAttributes.
SQS_BATCH_MAX_ENTRIES = 10  # entries of a batch call, and messages one ReceiveMessage returns
SQS_DEFAULT_VISIBILITY_TIMEOUT_S = 30
SQS_DEFAULT_RETENTION_S = 4 * SECONDS_PER_DAY  # MessageRetentionPeriod's default, 345,600 s
SQS_MAX_RETENTION_S = 14 * SECONDS_PER_DAY  # its maximum, 1,209,600 s
SQS_MAX_VISIBILITY_TIMEOUT_S = 12 * 3600  # VisibilityTimeout's maximum, 43,200 s
SQS_MAX_RECEIVE_COUNT = 1000  # a RedrivePolicy's maxReceiveCount maximum (SetQueueAttributes)
# Dead-letter queues. SQS Developer Guide, "Setting-up dead-letter queue retention": a standard
# queue's message keeps its original enqueue timestamp when it moves to its DLQ (a FIFO queue's
# gets a new one), so it expires from the DLQ at enqueue time + the DLQ's retention: give the DLQ
# a longer retention than its source. "Configure a dead-letter queue redrive": a redriven message
# is a new message (a new messageId and enqueue time), so its retention starts again.
# API Reference, StartMessageMoveTask: a redrive moves at most this many messages a second.
SQS_MOVE_TASK_MAX_MESSAGES_PER_S = 500

# -- DynamoDB --------------------------------------------------------------------------------
# DynamoDB API Reference, BatchWriteItem.
BATCH_WRITE_ITEM_MAX_ITEMS = 25  # put or delete requests in one BatchWriteItem call

# -- Lambda ----------------------------------------------------------------------------------
# Lambda Developer Guide, "Configuring function timeout", "Lambda quotas", "Asynchronous
# invocation".
LAMBDA_DEFAULT_TIMEOUT_S = 3
LAMBDA_MAX_TIMEOUT_S = 900
LAMBDA_ACCOUNT_CONCURRENCY = 1000  # concurrent executions per account and region, by default
# New accounts get less, raised automatically with use ("Lambda quotas"). Reservations may
# take all but this many, kept for the functions without one ("Configuring reserved
# concurrency"; PutFunctionConcurrency: "at least 100 simultaneous executions unreserved").
LAMBDA_UNRESERVED_MINIMUM = 100
LAMBDA_ASYNC_RETRIES = 2  # an asynchronous invocation that fails is retried twice...
LAMBDA_ASYNC_MAX_EVENT_AGE_S = 6 * SECONDS_PER_HOUR  # ...and its event kept up to 6 hours

# Lambda event source mappings. Every request parameter, its type and its range: Lambda API
# Reference, CreateEventSourceMapping ("API reference" below). Which parameters apply to a
# stream or a queue, and their defaults: Developer Guide, "Lambda parameters for Amazon Kinesis
# Data Streams event source mappings" and "Lambda parameters for Amazon SQS event source
# mappings" (the "Kinesis" and "SQS parameter tables"). Filters: Developer Guide, "Control which
# events Lambda sends to your function" ("event filtering"), with "Using event filtering with a
# Kinesis event source" and "... with an Amazon SQS event source".
REPORT_BATCH_ITEM_FAILURES = "ReportBatchItemFailures"  # FunctionResponseTypes' one value
_EVERY_SOURCE = ("Kinesis", "DynamoDB Streams", "Amazon SQS", "Amazon MQ", "Amazon MSK",
                 "self-managed Apache Kafka", "Amazon DocumentDB")
_FILTERED_SOURCES = _EVERY_SOURCE[:-1]  # event filtering: every source but DocumentDB
_STREAMS_AND_KAFKA = ("Kinesis", "DynamoDB Streams", "Amazon MSK", "self-managed Apache Kafka")
_KAFKA = ("Amazon MSK", "self-managed Apache Kafka")
# Each request parameter of CreateEventSourceMapping, and the sources it applies to, as the API
# reference marks them ("(Kinesis, DynamoDB Streams, Amazon MSK, and self-managed Apache Kafka)
# ...") and the parameter tables list them; a parameter of other sources only is refused.
MAPPING_PARAMETER_SOURCES: dict[str, tuple[str, ...]] = {
    "EventSourceArn": _EVERY_SOURCE,
    "FunctionName": _EVERY_SOURCE,
    "Enabled": _EVERY_SOURCE,
    "BatchSize": _EVERY_SOURCE,
    "MaximumBatchingWindowInSeconds": _EVERY_SOURCE,
    "Tags": _EVERY_SOURCE,
    "FilterCriteria": _FILTERED_SOURCES,
    "KMSKeyArn": _FILTERED_SOURCES,  # the key that encrypts the filter criteria
    "MetricsConfig": ("Kinesis", "DynamoDB Streams", "Amazon SQS", *_KAFKA),
    "FunctionResponseTypes": ("Kinesis", "DynamoDB Streams", "Amazon SQS", *_KAFKA),
    "ScalingConfig": ("Amazon SQS",),
    "ProvisionedPollerConfig": ("Amazon SQS", *_KAFKA),
    "ParallelizationFactor": ("Kinesis", "DynamoDB Streams"),
    "TumblingWindowInSeconds": ("Kinesis", "DynamoDB Streams"),
    "StartingPosition": (*_STREAMS_AND_KAFKA, "Amazon DocumentDB"),
    "StartingPositionTimestamp": ("Kinesis", *_KAFKA, "Amazon DocumentDB"),  # AT_TIMESTAMP
    "DestinationConfig": _STREAMS_AND_KAFKA,
    "MaximumRecordAgeInSeconds": _STREAMS_AND_KAFKA,
    "BisectBatchOnFunctionError": _STREAMS_AND_KAFKA,
    "MaximumRetryAttempts": _STREAMS_AND_KAFKA,
    "LoggingConfig": _KAFKA,
    "Topics": _KAFKA,
    "Queues": ("Amazon MQ",),
    "SourceAccessConfigurations": ("Amazon MQ", *_KAFKA),
    "SelfManagedEventSource": ("self-managed Apache Kafka",),
    "AmazonManagedKafkaEventSourceConfig": ("Amazon MSK",),
    "SelfManagedKafkaEventSourceConfig": ("self-managed Apache Kafka",),
    "DocumentDBEventSourceConfig": ("Amazon DocumentDB",),
}
KINESIS_SOURCE, SQS_SOURCE = "Kinesis", "Amazon SQS"  # as MAPPING_PARAMETER_SOURCES names them


def mapping_parameters(source: str) -> frozenset[str]:
    """The CreateEventSourceMapping parameters that apply to ``source`` (``KINESIS_SOURCE``,
    ``SQS_SOURCE``): the ones a mapping of that source accepts."""
    return frozenset(name for name, sources in MAPPING_PARAMETER_SOURCES.items()
                     if source in sources)


KINESIS_MAPPING_DEFAULTS = {  # the Kinesis parameter table's defaults
    "BatchSize": 100,
    "BisectBatchOnFunctionError": False,
    "MaximumRecordAgeInSeconds": -1,  # -1: records are retried until they expire
    "MaximumRetryAttempts": -1,  # -1: retried without limit
    "ParallelizationFactor": 1,
    "FunctionResponseTypes": [],
    "DestinationConfig": {},
    # Required by AWS (it has no default); the course's emulator starts from the oldest record.
    "StartingPosition": "TRIM_HORIZON",
    "Enabled": True,
    "MaximumBatchingWindowInSeconds": 0,
}
SQS_MAPPING_DEFAULTS = {  # the SQS parameter table's defaults
    "BatchSize": 10,
    "MaximumBatchingWindowInSeconds": 0,
    "FunctionResponseTypes": [],
    "ScalingConfig": {},
    "Enabled": True,
}
MAPPING_MAX_BATCH_SIZE = 10_000  # BatchSize, Kinesis and standard queues: 1 to 10,000 (API ref.)
SQS_FIFO_MAX_BATCH_SIZE = 10  # BatchSize on a FIFO queue (API reference; SQS parameter table)
# Over this BatchSize, an SQS mapping needs MaximumBatchingWindowInSeconds of at least 1 (API
# reference; AWS refuses with "Maximum batch window in seconds must be greater than 0 if maximum
# batch size is greater than 10"). The reference now names Kinesis too, but AWS's own Kinesis
# default (BatchSize 100, no window) breaks that rule: the course applies it to SQS only.
SQS_MAX_BATCH_SIZE_WITHOUT_WINDOW = 10
MAPPING_MAX_BATCHING_WINDOW_S = 300  # MaximumBatchingWindowInSeconds: 0 to 300 s (API reference)
MAPPING_MAX_RETRY_ATTEMPTS = 10_000  # MaximumRetryAttempts: -1 (forever), 0 to 10,000 (API ref.)
# MaximumRecordAgeInSeconds: -1 (forever) or 60 to 604,800 s. The API reference gives -1 to
# 604,800, but Lambda refuses 0 to 59: "MaximumRecordAgeInSeconds must be either -1 (forever)
# or between 60 and 604800 (inclusive)", its InvalidParameterValueException for 30.
MAPPING_MIN_RECORD_AGE_S = 60
MAPPING_MAX_RECORD_AGE_S = 7 * SECONDS_PER_DAY  # 604,800 s
MAX_PARALLELIZATION_FACTOR = 10  # concurrent batches per shard: 1 to 10 (API reference)
MAPPING_MAX_TUMBLING_WINDOW_S = 900  # TumblingWindowInSeconds: 0 (none) to 900 s (API reference)
KINESIS_STARTING_POSITIONS = ("TRIM_HORIZON", "LATEST", "AT_TIMESTAMP")  # (API reference)
SQS_MAPPING_CONCURRENCY_RANGE = (2, 1000)  # ScalingConfig's MaximumConcurrency (API reference)
# ProvisionedPollerConfig of an SQS mapping (API reference, ProvisionedPollerConfig): pollers it
# keeps at least (2 to 200, default 2) and scales up to at most (2 to 10,000, default 200), as
# the pinned botocore's copy of the reference says. The SQS parameter table says 2 to 2,000 for
# the maximum: the emulator takes the API reference's wider range.
SQS_MIN_POLLERS_RANGE = (2, 200)
SQS_MAX_POLLERS_RANGE = (2, 10_000)
MAPPING_METRICS = ("EventCount", "ErrorCount", "KafkaMetrics")  # MetricsConfig.Metrics (API ref.)
KAFKA_ONLY_METRICS = ("ErrorCount", "KafkaMetrics")  # "(Amazon MSK and self-managed Kafka)"
# Kinesis mappings can send discarded batches to an SQS queue, SNS topic or S3 bucket (API
# reference, OnFailure); OnSuccess is "not supported in CreateEventSourceMapping" (API
# reference, DestinationConfig).
MAPPING_ON_FAILURE_SERVICES = ("sqs", "sns", "s3")
MAPPING_MAX_FILTERS = 5  # filters per mapping by default; a quota raise allows 10 (filtering)
FILTER_PATTERN_MAX_CHARS = 4096  # one filter's Pattern string (API reference, Filter)
# The comparison operators of Lambda event filtering (event filtering, "Filter rule syntax",
# EventBridge's rules as Pipes take them), besides matching a value: null, "", a string, a
# number, a boolean.
FILTER_OPERATORS = ("anything-but", "numeric", "exists", "prefix", "suffix", "equals-ignore-case")
FILTER_NUMERIC_OPERATORS = ("=", "<", "<=", ">", ">=")
TAG_KEY_MAX_CHARS = 128  # Tags: keys of 1 to 128 characters (API reference, TagKey)
TAG_VALUE_MAX_CHARS = 256  # ... values of 0 to 256 (API reference, TagValue)
FUNCTION_NAME_MAX_CHARS = 64  # FunctionName, a bare name (API reference)
FUNCTION_ARN_MAX_CHARS = 256  # FunctionName, a full ARN (API reference)
# The queue's visibility timeout should be at least 6 times the function's timeout, so
# Lambda can retry a throttled batch; a function timeout over the queue's visibility
# timeout is refused outright.
SQS_VISIBILITY_PER_FUNCTION_TIMEOUT = 6
SQS_MIN_MAX_RECEIVE_COUNT = 5  # the redrive policy's maxReceiveCount AWS recommends at least

# -- EventBridge -----------------------------------------------------------------------------
# EventBridge User Guide, "Retrying events that fail to be delivered to targets".
EVENTBRIDGE_RETRY_HOURS = 24
EVENTBRIDGE_MAX_ATTEMPTS = 185

# -- Step Functions --------------------------------------------------------------------------
# Step Functions API Reference, StartExecution: "StartExecution is idempotent for STANDARD
# workflows" (same name and input as a running execution: the same response); it "isn't
# idempotent for EXPRESS workflows", whose execution names can be reused at once. A Standard
# execution's name can be reused 90 days after the execution closes.
STEP_FUNCTIONS_IDEMPOTENT_WORKFLOWS = "Standard"
STEP_FUNCTIONS_NAME_REUSE_DAYS = 90
# Developer Guide, "Handling errors in Step Functions workflows": a Retrier's defaults.
STEP_FUNCTIONS_RETRY_DEFAULTS = {"IntervalSeconds": 1, "BackoffRate": 2.0, "MaxAttempts": 3}
# DynamoDB Developer Guide, "Change data capture for DynamoDB Streams": records kept 24 hours.
DYNAMODB_STREAM_RETENTION_S = 24 * SECONDS_PER_HOUR

# -- botocore, read from the pinned library ----------------------------------------------------


class BotocoreDefaults(NamedTuple):
    """What the pinned botocore does when a client is given no configuration.

    Its retry numbers live in ``botocore/retries/standard.py`` and ``quota.py`` (standard
    mode) and its ``_retry.json`` (legacy mode); botocore 1.44 changed several of them, so
    the Boto3 guide and older articles may quote others."""

    timeout_s: int  # connect_timeout and read_timeout (botocore's "Config" reference)
    standard_max_attempts: int  # the standard retry mode, the default: attempts in all
    dynamodb_max_attempts: int  # ... for DynamoDB and DynamoDB Streams
    legacy_max_attempts: int  # the legacy retry mode: attempts in all
    legacy_dynamodb_max_attempts: int  # ... for DynamoDB
    # Standard mode waits rand * min(base * 2 ** (n - 1), cap) before retry n, with base:
    throttling_backoff_base_s: float  # after a throttling error
    transient_backoff_base_s: float  # after any other transient error (timeouts included)
    dynamodb_backoff_base_s: float  # ... for DynamoDB and DynamoDB Streams
    max_backoff_s: float  # the cap
    # Standard mode's retry quota, one bucket per client:
    retry_quota_tokens: int  # its size, and what it starts with
    transient_retry_cost: int  # tokens a retry after a transient error takes (timeouts too)
    throttling_retry_cost: int  # tokens a retry after a throttling error takes
    success_refund: int  # tokens a call that succeeds at once gives back


DYNAMODB_SERVICES = ("dynamodb", "dynamodb-streams")  # as botocore's retry tables name them


@cache
def botocore_defaults() -> BotocoreDefaults:
    """botocore's defaults, read from botocore itself (its endpoint module, its standard
    retry and quota modules and its ``_retry.json``): they change between releases, and the
    course states the ones in force. Read on first use, so importing the facts stays cheap.

    Most are private attributes of botocore: if a release renames or reshapes one, this
    fails with a ``RuntimeError`` that names it, rather than the course stating a stale
    value."""
    import botocore.endpoint
    import botocore.loaders
    import botocore.retries.quota
    import botocore.retries.standard

    standard = botocore.retries.standard
    backoff = standard.ExponentialBackoff
    checker = standard.RetryQuotaChecker
    try:
        legacy = botocore.loaders.Loader().load_data("_retry")["retry"]
        service_attempts = {name: standard._SERVICE_MAX_ATTEMPTS[name]
                            for name in DYNAMODB_SERVICES}
        service_bases = {name: backoff._SERVICE_BACKOFF_CONFIG[name]["non_throttling_base_scale"]
                         for name in DYNAMODB_SERVICES}
        defaults = BotocoreDefaults(
            timeout_s=botocore.endpoint.DEFAULT_TIMEOUT,
            standard_max_attempts=standard.DEFAULT_MAX_ATTEMPTS,
            dynamodb_max_attempts=service_attempts["dynamodb"],
            legacy_max_attempts=legacy["__default__"]["max_attempts"],
            legacy_dynamodb_max_attempts=legacy["dynamodb"]["__default__"]["max_attempts"],
            throttling_backoff_base_s=backoff._DEFAULT_BACKOFF_CONFIG["throttling_base_scale"],
            transient_backoff_base_s=backoff._DEFAULT_BACKOFF_CONFIG["non_throttling_base_scale"],
            dynamodb_backoff_base_s=service_bases["dynamodb"],
            max_backoff_s=backoff._MAX_BACKOFF,
            retry_quota_tokens=botocore.retries.quota.RetryQuota.INITIAL_CAPACITY,
            transient_retry_cost=checker._RETRY_COST,
            throttling_retry_cost=checker._THROTTLING_RETRY_COST,
            success_refund=checker._NO_RETRY_INCREMENT,
        )
    except (AttributeError, KeyError) as missing:
        raise RuntimeError(
            f"botocore {botocore.__version__} no longer has {missing}: its retry defaults "
            "moved; update resilience.aws.facts.botocore_defaults (and the prose that "
            "states them)") from missing
    if len(set(service_attempts.values())) != 1 or len(set(service_bases.values())) != 1:
        raise RuntimeError(f"botocore {botocore.__version__} now treats DynamoDB and DynamoDB "
                           f"Streams differently ({service_attempts}, {service_bases}): the "
                           "course states one value for both")
    return defaults

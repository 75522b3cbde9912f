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
PUT_RECORDS_MAX_RECORDS = 500  # records in one PutRecords request
PUT_RECORDS_MAX_BYTES = 5 * MiB  # one PutRecords request, partition keys included
KINESIS_DEFAULT_RETENTION_S = 24 * SECONDS_PER_HOUR  # a stream keeps records 24 h by default
# A failed entry of a PutRecords response carries one of these error codes.
PUT_RECORDS_ERROR_CODES = ("ProvisionedThroughputExceededException", "InternalFailure")

# -- SQS -------------------------------------------------------------------------------------
# SQS Developer Guide, "Amazon SQS message quotas" and "visibility timeout";
# API Reference, SendMessageBatch, DeleteMessageBatch, ReceiveMessage.
SQS_BATCH_MAX_ENTRIES = 10  # entries of a batch call, and messages one ReceiveMessage returns
SQS_DEFAULT_VISIBILITY_TIMEOUT_S = 30
SQS_DEFAULT_RETENTION_S = 4 * SECONDS_PER_DAY  # MessageRetentionPeriod's default, 345,600 s
SQS_MAX_RETENTION_S = 14 * SECONDS_PER_DAY  # its maximum, 1,209,600 s

# -- DynamoDB --------------------------------------------------------------------------------
# DynamoDB API Reference, BatchWriteItem.
BATCH_WRITE_ITEM_MAX_ITEMS = 25  # put or delete requests in one BatchWriteItem call

# -- Lambda ----------------------------------------------------------------------------------
# Lambda Developer Guide, "Configuring function timeout", "Lambda quotas", "Asynchronous
# invocation".
LAMBDA_DEFAULT_TIMEOUT_S = 3
LAMBDA_MAX_TIMEOUT_S = 900
LAMBDA_ACCOUNT_CONCURRENCY = 1000  # concurrent executions per account and region, by default
LAMBDA_ASYNC_RETRIES = 2  # an asynchronous invocation that fails is retried twice...
LAMBDA_ASYNC_MAX_EVENT_AGE_S = 6 * SECONDS_PER_HOUR  # ...and its event kept up to 6 hours

# Lambda event source mappings: Lambda API Reference, CreateEventSourceMapping; Developer
# Guide, "Using Lambda with Kinesis" and "Using Lambda with Amazon SQS".
REPORT_BATCH_ITEM_FAILURES = "ReportBatchItemFailures"
KINESIS_MAPPING_DEFAULTS = {  # CreateEventSourceMapping's defaults for a Kinesis stream
    "BatchSize": 100,
    "BisectBatchOnFunctionError": False,
    "MaximumRecordAgeInSeconds": -1,  # -1: records are retried until they expire
    "MaximumRetryAttempts": -1,  # -1: retried without limit
    "ParallelizationFactor": 1,
    "FunctionResponseTypes": [],
    "DestinationConfig": {},
    "StartingPosition": "TRIM_HORIZON",
}
SQS_MAPPING_DEFAULTS = {  # ... and for an SQS queue
    "BatchSize": 10,
    "MaximumBatchingWindowInSeconds": 0,
    "FunctionResponseTypes": [],
    "ScalingConfig": {},
}
MAPPING_MAX_BATCH_SIZE = 10_000
MAPPING_MAX_RETRY_ATTEMPTS = 10_000
MAPPING_MIN_RECORD_AGE_S = 60
MAPPING_MAX_RECORD_AGE_S = 7 * SECONDS_PER_DAY  # 604,800 s
MAX_PARALLELIZATION_FACTOR = 10  # concurrent batches per shard: 1 to 10
MAPPING_MAX_BATCHING_WINDOW_S = 300
SQS_MAPPING_CONCURRENCY_RANGE = (2, 1000)  # ScalingConfig's MaximumConcurrency
# The queue's visibility timeout should be at least 6 times the function's timeout, so
# Lambda can retry a throttled batch; a function timeout over the queue's visibility
# timeout is refused outright.
SQS_VISIBILITY_PER_FUNCTION_TIMEOUT = 6
SQS_MIN_MAX_RECEIVE_COUNT = 5  # the redrive policy's maxReceiveCount AWS recommends at least

# -- EventBridge -----------------------------------------------------------------------------
# EventBridge User Guide, "Retrying events that fail to be delivered to targets".
EVENTBRIDGE_RETRY_HOURS = 24
EVENTBRIDGE_MAX_ATTEMPTS = 185

# -- botocore, read from the pinned library ----------------------------------------------------


class BotocoreDefaults(NamedTuple):
    """What the pinned botocore does when a client is given no configuration."""

    timeout_s: int  # connect_timeout and read_timeout (botocore's "Config" reference)
    standard_max_attempts: int  # the standard retry mode, the default (boto3's "Retries")
    legacy_max_attempts: int  # the legacy retry mode


@cache
def botocore_defaults() -> BotocoreDefaults:
    """botocore's defaults, read from botocore itself (its endpoint module, its standard
    retry module and its ``_retry.json``): they change between releases, and the course
    states the ones in force. Read on first use, so importing the facts stays cheap."""
    import botocore.endpoint
    import botocore.loaders
    import botocore.retries.standard

    legacy = botocore.loaders.Loader().load_data("_retry")["retry"]["__default__"]
    return BotocoreDefaults(botocore.endpoint.DEFAULT_TIMEOUT,
                            botocore.retries.standard.DEFAULT_MAX_ATTEMPTS,
                            legacy["max_attempts"])

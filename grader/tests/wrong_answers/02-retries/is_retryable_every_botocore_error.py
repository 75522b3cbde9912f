"""is_retryable treats every botocore exception as a network problem, so it retries a
request botocore refused to send (ParamValidationError) or could not sign."""

BELIEVED = "A BotoCoreError always comes from the network, so it is always transient."

VIOLATES = ["2.4"]

ANSWERS = {
    "is_retryable": '''
from botocore.exceptions import BotoCoreError

THROTTLING_CODES = {
    "BandwidthLimitExceeded",
    "EC2ThrottledException",
    "LimitExceededException",
    "PriorRequestNotComplete",
    "ProvisionedThroughputExceededException",
    "RequestLimitExceeded",
    "RequestThrottled",
    "RequestThrottledException",
    "SlowDown",
    "ThrottledException",
    "Throttling",
    "ThrottlingException",
    "TooManyRequestsException",
    "TransactionInProgressException",
}


def is_retryable(error):
    """ClientErrors by code and status; botocore's own errors are the network's."""
    if isinstance(error, ClientError):
        code = error.response["Error"]["Code"]
        status = error.response["ResponseMetadata"]["HTTPStatusCode"]
        return code in THROTTLING_CODES or status >= 500
    return isinstance(error, BotoCoreError)
''',
}

EXPECTED_FAILURES = {
    "test_is_retryable": "said yes to a ParamValidationError",
}

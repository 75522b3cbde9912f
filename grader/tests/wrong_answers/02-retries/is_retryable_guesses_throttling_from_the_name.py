"""is_retryable recognises throttling by words in the code (Throttl, Exceeded, Limit), which
misses SlowDown, TooManyRequestsException and others."""

BELIEVED = "Every throttling code says so in its name."

VIOLATES = ["2.1"]

ANSWERS = {
    "is_retryable": '''
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
    """Transient: a throttle, a 5xx, or the network."""
    if isinstance(error, (ReadTimeoutError, ConnectTimeoutError, EndpointConnectionError,
                          ConnectionClosedError)):
        return True
    if not isinstance(error, ClientError):
        return False
    code = error.response["Error"]["Code"]
    if any(word in code for word in ("Throttl", "Exceeded", "Limit")):
        return True
    return error.response["ResponseMetadata"]["HTTPStatusCode"] >= 500
''',
}

EXPECTED_FAILURES = {
    "test_is_retryable": "Retry every code in that list",
}

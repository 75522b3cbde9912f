"""is_retryable retries the two timeouts but not the dropped connections
(EndpointConnectionError, ConnectionClosedError)."""

BELIEVED = "Only a timeout is transient; a connection that fails is a configuration problem."

VIOLATES = ["2.3"]

ANSWERS = {
    "is_retryable": '''
THROTTLING_CODES = {
    "BandwidthLimitExceeded", "EC2ThrottledException", "LimitExceededException",
    "PriorRequestNotComplete", "ProvisionedThroughputExceededException",
    "RequestLimitExceeded", "RequestThrottled", "RequestThrottledException", "SlowDown",
    "ThrottledException", "Throttling", "ThrottlingException", "TooManyRequestsException",
    "TransactionInProgressException",
}


def is_retryable(error):
    """Throttling, server errors and timeouts."""
    if isinstance(error, (ReadTimeoutError, ConnectTimeoutError)):
        return True
    if not isinstance(error, ClientError):
        return False
    details = error.response
    if details["Error"]["Code"] in THROTTLING_CODES:
        return True
    return details["ResponseMetadata"]["HTTPStatusCode"] >= 500
''',
}

EXPECTED_FAILURES = {
    "test_is_retryable": "said no to a connection that could not be made (EndpointConnectionError)",
}

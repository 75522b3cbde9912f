"""is_retryable retries HTTP 500 and 503 only, not 502, 504 or any other 5xx."""

BELIEVED = "Internal error and service unavailable are the only server errors worth a retry."

VIOLATES = ["2.2"]

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
    """Retry throttling, server errors and network trouble."""
    network = (ReadTimeoutError, ConnectTimeoutError, EndpointConnectionError,
               ConnectionClosedError)
    if isinstance(error, network):
        return True
    if isinstance(error, ClientError):
        status = error.response["ResponseMetadata"]["HTTPStatusCode"]
        return (error.response["Error"]["Code"] in THROTTLING_CODES
                or status in (500, 503))  # internal error, service unavailable
    return False
''',
}

EXPECTED_FAILURES = {
    "test_is_retryable": "retry them all, not only 500 and 503",
}

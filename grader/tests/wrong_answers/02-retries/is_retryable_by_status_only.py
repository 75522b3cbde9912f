"""is_retryable looks only at the HTTP status (429 or 5xx), so DynamoDB's throttling, sent
with HTTP 400, is never retried."""

BELIEVED = "Throttling always comes back as HTTP 429 Too Many Requests."

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
    """429 Too Many Requests, any 5xx, and the network."""
    if isinstance(error, (ReadTimeoutError, ConnectTimeoutError, EndpointConnectionError,
                          ConnectionClosedError)):
        return True
    response = getattr(error, "response", None) or {}
    status = response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
    return status == 429 or status >= 500
''',
}

EXPECTED_FAILURES = {
    "test_is_retryable": "is_retryable said no to DynamoDB's throttling error",
}

"""is_retryable treats every HTTP error, 4xx as well as 5xx, as transient."""

REPLACES = {"is_retryable": '''
THROTTLING_CODES = {
    "ProvisionedThroughputExceededException",
    "ThrottlingException",
    "Throttling",
    "RequestLimitExceeded",
    "TooManyRequestsException",
    "RequestThrottled",
    "SlowDown",
}


def is_retryable(error):
    """True for transient faults (throttling, 5xx, timeouts), False for everything else."""
    if isinstance(error, (ReadTimeoutError, ConnectTimeoutError, EndpointConnectionError,
                          ConnectionClosedError)):
        return True
    if isinstance(error, ClientError):
        code = error.response.get("Error", {}).get("Code", "")
        status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
        # DynamoDB throttling comes back as HTTP 400, so retry the 4xx too
        return code in THROTTLING_CODES or status >= 400
    return False
'''}

EXPECTED_FAILURES = {
    "test_is_retryable": "said yes to a ValidationException: the request itself is wrong",
    "test_non_retryable": "That error can never succeed on retry: raise it at once",
}

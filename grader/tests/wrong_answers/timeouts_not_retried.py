"""is_retryable only looks at ClientError, so timeouts and dropped connections are not retried."""

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
    if not isinstance(error, ClientError):
        return False
    code = error.response.get("Error", {}).get("Code", "")
    status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
    return code in THROTTLING_CODES or status >= 500
'''}

EXPECTED_FAILURES = {
    "test_is_retryable": "is_retryable said no to a read timeout (ReadTimeoutError)",
}

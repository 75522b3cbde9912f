"""is_retryable through botocore's own base classes for network trouble (ConnectionError,
HTTPClientError) and a small table of checks, returning explicit booleans."""

ANSWERS = {
    "is_retryable": '''
from botocore.exceptions import ConnectionError as BotocoreConnectionError
from botocore.exceptions import HTTPClientError

THROTTLING_CODES = frozenset([
    "BandwidthLimitExceeded", "EC2ThrottledException", "LimitExceededException",
    "PriorRequestNotComplete", "ProvisionedThroughputExceededException",
    "RequestLimitExceeded", "RequestThrottled", "RequestThrottledException", "SlowDown",
    "ThrottledException", "Throttling", "ThrottlingException", "TooManyRequestsException",
    "TransactionInProgressException",
])


def is_retryable(error):
    """Network trouble, throttling and server-side failures are worth another try."""
    # ReadTimeoutError and ConnectionClosedError are HTTPClientErrors; ConnectTimeoutError
    # and EndpointConnectionError are botocore ConnectionErrors.
    if isinstance(error, (BotocoreConnectionError, HTTPClientError)):
        return True
    response = error.response if isinstance(error, ClientError) else None
    if response is None:
        return False
    code = response.get("Error", {}).get("Code")
    status = response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0
    checks = (code in THROTTLING_CODES, 500 <= status)
    return any(checks)
''',
}

"""is_retryable only looks at ClientError, so timeouts and dropped connections are not retried."""

BELIEVED = "Only errors the service answers with (ClientError) are worth retrying."

VIOLATES = ["2.3"]

EDITS = {
    "is_retryable": [
        ("""    if isinstance(error, (ReadTimeoutError, ConnectTimeoutError, EndpointConnectionError,
                          ConnectionClosedError)):
        return True
    if isinstance(error, ClientError):
        code = error.response.get("Error", {}).get("Code", "")
        status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
        return code in THROTTLING_CODES or status >= 500
    return False""",
         """    if not isinstance(error, ClientError):
        return False
    code = error.response.get("Error", {}).get("Code", "")
    status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
    return code in THROTTLING_CODES or status >= 500"""),
    ],
}

EXPECTED_FAILURES = {
    "test_is_retryable": "is_retryable said no to a read timeout (ReadTimeoutError)",
}

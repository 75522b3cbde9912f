"""is_retryable treats every HTTP error, 4xx as well as 5xx, as transient."""

BELIEVED = "DynamoDB throttles with HTTP 400, so every 4xx is worth another try."

VIOLATES = ["2.4"]

EDITS = {
    "is_retryable": [
        ("""        return code in THROTTLING_CODES or status >= 500""",
         """        # DynamoDB throttling comes back as HTTP 400, so retry the 4xx too
        return code in THROTTLING_CODES or status >= 400"""),
    ],
}

EXPECTED_FAILURES = {
    "test_is_retryable": "said yes to a ValidationException: the request itself is wrong",
    "test_non_retryable": "can never succeed on retry: raise it at once",
}

"""is_retryable checks the three throttling codes the instructions spell out, not every code
in THROTTLING_CODES."""

BELIEVED = "The three codes the instructions name are all the ways AWS throttles."

VIOLATES = ["2.1"]

EDITS = {
    "is_retryable": [
        ("""        return code in THROTTLING_CODES or status >= 500""",
         """        throttled = code in ("ProvisionedThroughputExceededException", "ThrottlingException",
                             "RequestLimitExceeded")
        return throttled or status >= 500"""),
    ],
}

EXPECTED_FAILURES = {
    "test_is_retryable": "Retry every code in that list",
}

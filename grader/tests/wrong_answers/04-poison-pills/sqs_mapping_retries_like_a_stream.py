"""The SQS mapping bounds retries and sets a destination, parameters of streams only."""

BELIEVED = "An SQS mapping bounds retries and keeps failures with the same settings as a stream's."

VIOLATES = ["2.5"]

ANSWERS = {
    "sqs_mapping": '''def sqs_mapping():
    params = {}
    params["BatchSize"] = 10
    params["FunctionResponseTypes"] = ["ReportBatchItemFailures"]
    params["MaximumRetryAttempts"] = 5          # then give up on the message
    params["BisectBatchOnFunctionError"] = True
    return params
''',
}

EXPECTED_FAILURES = {
    "test_sqs_mapping_reports_failures": "is not valid for SQS event sources",
}

"""The SQS mapping gives FunctionResponseTypes as a string, not a list."""

BELIEVED = "FunctionResponseTypes takes the one response type by name."

VIOLATES = ["2.5"]

EDITS = {
    "sqs_mapping": [
        ('"FunctionResponseTypes": ["ReportBatchItemFailures"]',
         '"FunctionResponseTypes": "ReportBatchItemFailures"'),
    ],
}

EXPECTED_FAILURES = {
    "test_sqs_mapping_reports_failures": "Lambda would refuse this event source mapping",
    "test_sqs_poison_goes_to_dlq": "Lambda would refuse this event source mapping",
}

"""The Kinesis mapping names the example's destination queue instead of the ARN it is given."""

BELIEVED = "The destination is always the orders-failures queue of the lab's example."

VIOLATES = ["4.5"]

ANSWERS = {
    "kinesis_mapping": '''def kinesis_mapping(destination_arn):
    dlq_arn = "arn:aws:sqs:us-east-1:123456789012:orders-failures"
    return {
        "FunctionResponseTypes": ["ReportBatchItemFailures"],
        "MaximumRetryAttempts": 5,
        "MaximumRecordAgeInSeconds": 1800,
        "DestinationConfig": {"OnFailure": {"Destination": dlq_arn}},
    }
''',
}

EXPECTED_FAILURES = {
    "test_mapping_settings": "it should be the ARN you were given",
}

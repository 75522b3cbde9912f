"""The Kinesis mapping bisects failed batches but never stops retrying the pill."""

BELIEVED = "Bisecting isolates the pill, so the retries need no bound."

VIOLATES = ["4.3"]

ANSWERS = {
    "kinesis_mapping": '''def kinesis_mapping(destination_arn):
    return {
        "FunctionResponseTypes": ["ReportBatchItemFailures"],
        "BisectBatchOnFunctionError": True,
        "DestinationConfig": {"OnFailure": {"Destination": destination_arn}},
    }
''',
}

EXPECTED_FAILURES = {
    "test_mapping_settings": "MaximumRetryAttempts is -1",
    "test_kinesis_end_to_end": "MaximumRetryAttempts is -1",
}

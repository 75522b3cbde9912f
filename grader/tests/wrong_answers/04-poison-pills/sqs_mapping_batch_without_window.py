"""The SQS mapping asks for batches of 100 without the batching window they need."""

BELIEVED = "Bigger batches are cheaper, and any BatchSize up to 10,000 goes."

VIOLATES = ["2.5"]

EDITS = {
    "sqs_mapping": [
        ('"BatchSize": 10,', '"BatchSize": 100,'),
    ],
}

EXPECTED_FAILURES = {
    "test_sqs_mapping_reports_failures": "Maximum batch window in seconds must be greater than 0",
}

"""The SQS handler hands process the body encoded to bytes, as a Kinesis handler would."""

BELIEVED = "process takes bytes, like the Kinesis handler's process."

VIOLATES = ["1.1"]

EDITS = {
    "make_sqs_handler": [
        ('process(record["body"])', 'process(record["body"].encode())'),
    ],
}

EXPECTED_FAILURES = {
    "test_sqs_handler_reports_failures": "as it is",
}

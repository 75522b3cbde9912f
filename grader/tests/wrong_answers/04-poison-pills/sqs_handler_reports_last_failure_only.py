"""The SQS handler overwrites its list of failures, so only the last failed message is named."""

BELIEVED = "One failure named is enough for Lambda to retry the batch's failures."

VIOLATES = ["1.3"]

EDITS = {
    "make_sqs_handler": [
        ('                failures.append({"itemIdentifier": record["messageId"]})',
         '                failures = [{"itemIdentifier": record["messageId"]}]'),
    ],
}

EXPECTED_FAILURES = {
    "test_sqs_handler_reports_failures": "the response did not name",
}

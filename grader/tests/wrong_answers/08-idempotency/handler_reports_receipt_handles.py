"""The handler reports failed records by their receiptHandle instead of their messageId."""

BELIEVED = "The receipt handle is what identifies a received message to SQS."
VIOLATES = ["4.2"]

EDITS = {
    'make_handler': [
        ('failures.append({"itemIdentifier": record["messageId"]})',
         'failures.append({"itemIdentifier": record["receiptHandle"]})'),
    ],
}

EXPECTED_FAILURES = {
    'test_handler_reports_failures': 'The handler should return',
    'test_handler_reports_every_failure': 'The handler did not report',
}

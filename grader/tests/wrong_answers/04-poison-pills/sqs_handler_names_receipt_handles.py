"""The SQS handler names failed messages by receipt handle instead of messageId."""

EDITS = {
    'make_sqs_handler': [
        ('{"itemIdentifier": record["messageId"]}', '{"itemIdentifier": record["receiptHandle"]}'),
    ],
}

EXPECTED_FAILURES = {
    'test_sqs_handler_reports_failures': 'not its receipt handle',
}

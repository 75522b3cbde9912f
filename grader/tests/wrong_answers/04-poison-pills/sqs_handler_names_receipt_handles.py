"""The SQS handler names failed messages by receipt handle instead of messageId."""

BELIEVED = 'The receipt handle is what names a message for Lambda.'

VIOLATES = ['1.3']

EDITS = {
    'make_sqs_handler': [
        ('{"itemIdentifier": record["messageId"]}', '{"itemIdentifier": record["receiptHandle"]}'),
    ],
}

EXPECTED_FAILURES = {
    'test_sqs_handler_reports_failures': 'not its receipt handle',
}

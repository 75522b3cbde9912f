"""The SQS handler catches failures and reports none, so poison messages are deleted."""

EDITS = {
    'make_sqs_handler': [
        ('                failures.append({"itemIdentifier": record["messageId"]})',
         '                pass'),
    ],
}

EXPECTED_FAILURES = {
    'test_sqs_handler_reports_failures': 'a failure left out is lost',
    'test_sqs_poison_goes_to_dlq': 'DLQ',
}

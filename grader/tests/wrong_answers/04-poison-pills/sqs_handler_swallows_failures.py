"""The SQS handler catches failures and reports none, so poison messages are deleted."""

BELIEVED = 'Catching the exception is all it takes to handle a poison message.'

VIOLATES = ['1.3', '2.7']

EDITS = {
    'make_sqs_handler': [
        ('                failures.append({"itemIdentifier": record["messageId"]})',
         '                pass'),
    ],
}

EXPECTED_FAILURES = {
    'test_sqs_handler_reports_failures': 'a failure left out is lost',
    'test_sqs_poison_goes_to_dlq': 'vanished',
}

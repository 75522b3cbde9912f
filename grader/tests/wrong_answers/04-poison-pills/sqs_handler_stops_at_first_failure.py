"""The SQS handler stops at the first failure, as for a stream, leaving good messages undone."""

EDITS = {
    'make_sqs_handler': [
        ('                failures.append({"itemIdentifier": record["messageId"]})',
         '                failures.append({"itemIdentifier": record["messageId"]})\n                break'),
    ],
}

EXPECTED_FAILURES = {
    'test_sqs_handler_reports_failures': 'exactly those two',
}

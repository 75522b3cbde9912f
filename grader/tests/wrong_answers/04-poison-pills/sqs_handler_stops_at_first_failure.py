"""The SQS handler stops at the first failure, as for a stream, leaving good messages undone."""

BELIEVED = "An SQS batch, like a stream's, must be processed in order up to a failure."

VIOLATES = ['1.1']

EDITS = {
    'make_sqs_handler': [
        ('                failures.append({"itemIdentifier": record["messageId"]})',
         '                failures.append({"itemIdentifier": record["messageId"]})\n                break'),
    ],
}

EXPECTED_FAILURES = {
    'test_sqs_handler_reports_failures': 'were never processed',
}

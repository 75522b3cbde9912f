"""The SQS handler lets a failure escape, so the whole batch fails and comes back."""

EDITS = {
    'make_sqs_handler': [
        ('            try:\n                process(record["body"])\n            except Exception:\n                failures.append({"itemIdentifier": record["messageId"]})',
         '            process(record["body"])'),
    ],
}

EXPECTED_FAILURES = {
    'test_sqs_handler_reports_failures': 'fails the whole batch',
    'test_sqs_poison_goes_to_dlq': 'processed exactly once',
}

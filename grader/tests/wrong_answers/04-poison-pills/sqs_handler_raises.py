"""The SQS handler lets a failure escape, so the whole batch fails and comes back."""

BELIEVED = 'Raising is how a handler tells Lambda that something failed.'

VIOLATES = ['1.2']

EDITS = {
    'make_sqs_handler': [
        ('            try:\n                process(record["body"])\n            except Exception:\n                failures.append({"itemIdentifier": record["messageId"]})',
         '            process(record["body"])'),
    ],
}

EXPECTED_FAILURES = {
    'test_sqs_handler_reports_failures': 'fails the whole batch',
    'test_sqs_poison_goes_to_dlq': 'parked in the DLQ with the pills',
}

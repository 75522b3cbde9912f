"""The SQS mapping does not ask for ReportBatchItemFailures, so reports are ignored."""

BELIEVED = 'Lambda honours a partial batch response from any handler.'

VIOLATES = ['2.6', '2.7']

EDITS = {
    'sqs_mapping': [
        ('    return {"BatchSize": 10, "FunctionResponseTypes": ["ReportBatchItemFailures"]}',
         '    return {"BatchSize": 10}'),
    ],
}

EXPECTED_FAILURES = {
    'test_sqs_mapping_reports_failures': 'ignores your handler',
    'test_sqs_poison_goes_to_dlq': 'vanished',
}

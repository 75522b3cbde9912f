"""The Kinesis mapping does not ask for ReportBatchItemFailures, so the pill 'succeeds'."""

EDITS = {
    'kinesis_mapping': [
        ('        "FunctionResponseTypes": ["ReportBatchItemFailures"],\n', ''),
    ],
}

EXPECTED_FAILURES = {
    'test_mapping_settings': 'ignores the sequence number',
}

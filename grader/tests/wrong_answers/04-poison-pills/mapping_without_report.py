"""The Kinesis mapping does not ask for ReportBatchItemFailures, so the pill 'succeeds'."""

BELIEVED = "Lambda reads batchItemFailures from any handler's response."

VIOLATES = ['4.2']

EDITS = {
    'kinesis_mapping': [
        ('        "FunctionResponseTypes": ["ReportBatchItemFailures"],\n', ''),
    ],
}

EXPECTED_FAILURES = {
    'test_mapping_settings': 'ignores the sequence number',
}

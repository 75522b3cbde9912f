"""The mapping leaves out ReportBatchItemFailures: the handler's report is ignored."""

BELIEVED = "Lambda reads the batchItemFailures answer whatever the mapping says."
VIOLATES = ["4.2"]

EDITS = {
    'mapping_config': [
        ('        "FunctionResponseTypes": ["ReportBatchItemFailures"],\n', ""),
    ],
}

EXPECTED_FAILURES = {
    'test_mapping_is_accepted': 'without ReportBatchItemFailures Lambda ignores',
    'test_nothing_lost': 'it reached the stream but was never stored nor set aside',
}

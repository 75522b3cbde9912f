"""The SQS mapping filters out messages that are not jobs, so the pills never reach the DLQ."""

BELIEVED = "Filtering the pills out before the function is the cheapest way to survive them."

VIOLATES = ["2.7"]

ANSWERS = {
    "sqs_mapping": '''def sqs_mapping():
    only_jobs = {"body": {"job": [{"exists": True}]}}
    return {
        "BatchSize": 10,
        "FunctionResponseTypes": ["ReportBatchItemFailures"],
        "FilterCriteria": {"Filters": [{"Pattern": json.dumps(only_jobs)}]},
    }
''',
}

EXPECTED_FAILURES = {
    "test_sqs_poison_goes_to_dlq": "vanished",
}

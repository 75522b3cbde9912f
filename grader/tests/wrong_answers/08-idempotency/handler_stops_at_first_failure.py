"""The handler stops at the first record that raised: the records after it are never charged."""

BELIEVED = "After a failure the batch is lost anyway, so the handler can stop there."
VIOLATES = ["4.1"]

ANSWERS = {
    'make_handler': '''def make_handler(dynamodb, gateway, now):
    """An SQS handler that charges every order of a batch once and reports what failed."""
    def handler(event, context):
        for record in event["Records"]:
            try:
                charge_once(record, dynamodb, gateway, now)
            except Exception:
                return {"batchItemFailures": [{"itemIdentifier": record["messageId"]}]}
        return {"batchItemFailures": []}
    return handler
''',
}

EXPECTED_FAILURES = {
    'test_handler_reports_failures': 'Orders o-1 and o-3 should be charged once',
    'test_handler_reports_every_failure': 'The handler did not report',
}

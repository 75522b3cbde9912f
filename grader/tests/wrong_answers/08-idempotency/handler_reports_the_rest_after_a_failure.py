"""After the first failure the handler reports every later record too, without trying them."""

BELIEVED = "Once one record failed, the rest of the batch should be retried with it."
VIOLATES = ["4.1", "4.3"]

ANSWERS = {
    'make_handler': '''def make_handler(dynamodb, gateway, now):
    """An SQS handler that charges every order of a batch once and reports what failed."""
    def handler(event, context):
        records = event["Records"]
        for position, record in enumerate(records):
            try:
                charge_once(record, dynamodb, gateway, now)
            except Exception:
                rest = records[position:]
                return {"batchItemFailures": [{"itemIdentifier": r["messageId"]} for r in rest]}
        return {"batchItemFailures": []}
    return handler
''',
}

EXPECTED_FAILURES = {
    'test_handler_reports_failures': 'The handler should return',
}

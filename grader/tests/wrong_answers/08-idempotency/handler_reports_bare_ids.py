"""The handler lists the failed messageIds themselves, not {"itemIdentifier": ...} entries."""

BELIEVED = "batchItemFailures is the list of the failed messages' ids."
VIOLATES = ["4.2"]

ANSWERS = {
    'make_handler': '''def make_handler(dynamodb, gateway, now):
    """An SQS handler that charges every order of a batch once and reports what failed."""
    def handler(event, context):
        failed_ids = []
        for message in event["Records"]:
            try:
                charge_once(message, dynamodb, gateway, now)
            except Exception as problem:
                print("charge failed:", problem)
                failed_ids.append(message["messageId"])
        return {"batchItemFailures": failed_ids}
    return handler
''',
}

EXPECTED_FAILURES = {
    'test_handler_reports_failures': 'The handler should return',
    'test_handler_reports_every_failure': "Each entry of batchItemFailures should be",
}

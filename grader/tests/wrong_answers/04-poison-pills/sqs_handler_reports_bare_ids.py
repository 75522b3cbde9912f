"""The SQS handler lists the failed messageIds themselves, not itemIdentifier objects."""

BELIEVED = "batchItemFailures is simply the list of the failed messages' ids."

VIOLATES = ["1.3"]

ANSWERS = {
    "make_sqs_handler": '''def make_sqs_handler(process):
    """Report failed messages to Lambda."""

    def handle_one(record):
        try:
            process(record["body"])
            return True
        except Exception:
            return False

    def handler(event, context):
        failed = [r["messageId"] for r in event["Records"] if not handle_one(r)]
        return {"batchItemFailures": failed}

    return handler
''',
}

EXPECTED_FAILURES = {
    "test_sqs_handler_reports_failures": "Lambda would treat that as a failure of the whole batch",
}

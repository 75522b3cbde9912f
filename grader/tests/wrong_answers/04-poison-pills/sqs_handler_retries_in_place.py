"""The SQS handler retries a failing message three times itself before reporting it."""

BELIEVED = "Retrying inside the handler saves Lambda a round trip through the queue."

VIOLATES = ["1.1"]

ANSWERS = {
    "make_sqs_handler": '''def make_sqs_handler(process):
    def handler(event, context):
        failures = []
        for record in event["Records"]:
            for attempt in range(3):
                try:
                    process(record["body"])
                    break
                except Exception:
                    if attempt == 2:
                        failures.append({"itemIdentifier": record["messageId"]})
        return {"batchItemFailures": failures}

    return handler
''',
}

EXPECTED_FAILURES = {
    "test_sqs_handler_reports_failures": "processed more than once",
}

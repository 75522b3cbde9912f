"""The SQS handler's list of failures lives in the factory, so it grows from batch to batch."""

BELIEVED = "Lambda builds a new handler for every batch, so state in the factory starts fresh."

VIOLATES = ["1.3"]

ANSWERS = {
    "make_sqs_handler": '''def make_sqs_handler(process):
    failures = []

    def handler(event, context):
        for record in event["Records"]:
            try:
                process(record["body"])
            except Exception:
                failures.append({"itemIdentifier": record["messageId"]})
        return {"batchItemFailures": failures}

    return handler
''',
}

EXPECTED_FAILURES = {
    "test_sqs_handler_reports_failures": "Lambda would treat that as a failure of the whole batch",
}

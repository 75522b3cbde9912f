"""The SQS handler processes a body once a batch: a message whose body came earlier in the
batch gets that earlier outcome instead of a call of its own."""

BELIEVED = "Two messages with the same body are the same job: processing it once is idempotent."

VIOLATES = ["1.1"]

ANSWERS = {
    "make_sqs_handler": '''def make_sqs_handler(process):
    def handler(event, context):
        succeeded = {}
        failures = []
        for record in event["Records"]:
            body = record["body"]
            if body not in succeeded:
                try:
                    process(body)
                    succeeded[body] = True
                except Exception:
                    succeeded[body] = False
            if not succeeded[body]:
                failures.append({"itemIdentifier": record["messageId"]})
        return {"batchItemFailures": failures}

    return handler
''',
}

EXPECTED_FAILURES = {
    "test_sqs_handler_reports_failures": "are still different messages",
}

"""The SQS handler hands process the body parsed from JSON instead of the body itself."""

BELIEVED = "process wants the job itself, so the handler should parse the message's JSON first."

VIOLATES = ["1.1"]

ANSWERS = {
    "make_sqs_handler": '''def make_sqs_handler(process):
    def handler(event, context):
        response = {"batchItemFailures": []}
        for record in event["Records"]:
            try:
                job = json.loads(record["body"])
                process(job)
            except Exception:
                response["batchItemFailures"].append({"itemIdentifier": record["messageId"]})
        return response

    return handler
''',
}

EXPECTED_FAILURES = {
    "test_sqs_handler_reports_failures": "as it is",
}

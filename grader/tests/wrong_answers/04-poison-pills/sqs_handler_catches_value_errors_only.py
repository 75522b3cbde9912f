"""The SQS handler catches only parsing errors, so any other failure of process escapes."""

BELIEVED = "A poison message fails with a ValueError (bad JSON); other errors cannot happen."

VIOLATES = ["1.2"]

ANSWERS = {
    "make_sqs_handler": '''def make_sqs_handler(process):
    def handler(event, context):
        bad_ids = []
        for msg in event["Records"]:
            try:
                process(msg["body"])
            except (ValueError, json.JSONDecodeError) as err:
                print("could not process", msg["messageId"], err)
                bad_ids.append(msg["messageId"])
        return {"batchItemFailures": [{"itemIdentifier": i} for i in bad_ids]}
    return handler
''',
}

EXPECTED_FAILURES = {
    "test_sqs_handler_reports_failures": "your handler raised",
}

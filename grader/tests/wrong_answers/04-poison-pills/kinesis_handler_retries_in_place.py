"""The Kinesis handler tries a failing record three times itself before reporting it."""

BELIEVED = "Retrying inside the handler saves Lambda a retry of the whole batch."

VIOLATES = ["3.1"]

ANSWERS = {
    "make_kinesis_handler": '''def make_kinesis_handler(process):
    def handler(event, context):
        for record in event["Records"]:
            data = base64.b64decode(record["kinesis"]["data"])
            for attempt in range(3):
                try:
                    process(data)
                    break
                except Exception:
                    if attempt == 2:
                        return {"batchItemFailures": [
                            {"itemIdentifier": record["kinesis"]["sequenceNumber"]}]}
        return {"batchItemFailures": []}

    return handler
''',
}

EXPECTED_FAILURES = {
    "test_kinesis_handler_reports_first_failure": "process was called 3 times on record 3",
}

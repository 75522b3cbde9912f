"""The Kinesis handler reports the last record that succeeded, as a checkpoint."""

BELIEVED = "batchItemFailures names the checkpoint: the last record done."

VIOLATES = ["3.3"]

ANSWERS = {
    "make_kinesis_handler": '''def make_kinesis_handler(process):
    def handler(event, context):
        last_ok = None
        for rec in event["Records"]:
            try:
                process(base64.b64decode(rec["kinesis"]["data"]))
            except Exception:
                if last_ok is None:
                    return {"batchItemFailures": []}
                return {"batchItemFailures": [{"itemIdentifier": last_ok}]}
            last_ok = rec["kinesis"]["sequenceNumber"]
        return {"batchItemFailures": []}
    return handler
''',
}

EXPECTED_FAILURES = {
    "test_kinesis_handler_reports_first_failure": "the lowest record the response names",
}

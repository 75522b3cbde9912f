"""The Kinesis handler catches only ValueError, so any other failure of process escapes."""

BELIEVED = "A poison pill is a record that does not parse: it raises ValueError and nothing else."

VIOLATES = ["3.2"]

ANSWERS = {
    "make_kinesis_handler": '''import logging


def make_kinesis_handler(process):
    log = logging.getLogger("orders")

    def handler(event, context):
        for record in event["Records"]:
            payload = base64.b64decode(record["kinesis"]["data"])
            try:
                process(payload)
            except ValueError:
                seq = record["kinesis"]["sequenceNumber"]
                log.warning("poison pill at %s", seq)
                return {"batchItemFailures": [{"itemIdentifier": seq}]}
        return {"batchItemFailures": []}

    return handler
''',
}

EXPECTED_FAILURES = {
    "test_kinesis_handler_reports_first_failure": "your handler raised",
}

"""Handlers built from helper functions, with logging, returning {} when nothing failed."""

ANSWERS = {
    "make_sqs_handler": '''import logging


def make_sqs_handler(process):
    logger = logging.getLogger("jobs")

    def succeeded(message):
        try:
            process(message["body"])
        except Exception:
            logger.exception("message %s failed", message["messageId"])
            return False
        return True

    def handler(event, context):
        failed = [m["messageId"] for m in event["Records"] if not succeeded(m)]
        logger.info("%d of %d messages failed", len(failed), len(event["Records"]))
        if not failed:
            return {}
        return {"batchItemFailures": [{"itemIdentifier": i} for i in failed]}

    return handler
''',
    "make_kinesis_handler": '''def make_kinesis_handler(process):
    def decoded(record):
        return base64.b64decode(record["kinesis"]["data"])

    def handler(event, context):
        records = event["Records"]
        index = 0
        while index < len(records):
            try:
                process(decoded(records[index]))
            except Exception as error:
                number = records[index]["kinesis"]["sequenceNumber"]
                print(f"stopping at {number}: {error!r}")
                return {"batchItemFailures": [{"itemIdentifier": number}]}
            index += 1
        return {"batchItemFailures": []}

    return handler
''',
}

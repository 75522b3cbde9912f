"""A Kinesis mapping whose tight age limit bounds the wait, with many retries allowed, read
from TRIM_HORIZON; a handler that reports the failed record and every one after it."""

ANSWERS = {
    "kinesis_mapping": '''def kinesis_mapping(destination_arn):
    return {
        "StartingPosition": "TRIM_HORIZON",
        "BatchSize": 25,
        "FunctionResponseTypes": ["ReportBatchItemFailures"],
        "MaximumRetryAttempts": 10000,
        "MaximumRecordAgeInSeconds": 120,
        "DestinationConfig": {"OnFailure": {"Destination": destination_arn}},
    }
''',
    "make_kinesis_handler": '''def make_kinesis_handler(process):
    def handler(event, context):
        records = event["Records"]
        for position, record in enumerate(records):
            try:
                process(base64.b64decode(record["kinesis"]["data"]))
            except Exception:
                # Lambda retries from the lowest one reported: name the rest too.
                return {"batchItemFailures": [
                    {"itemIdentifier": r["kinesis"]["sequenceNumber"]}
                    for r in records[position:]]}
        return {"batchItemFailures": []}

    return handler
''',
}

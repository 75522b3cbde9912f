"""The Kinesis handler processes every record and reports failures, like an SQS handler."""

BELIEVED = 'A Kinesis handler, like an SQS one, should try every record and report each failure.'

VIOLATES = ['3.2']

EDITS = {
    'make_kinesis_handler': [
        ('    def handler(event, context):\n        for record in event["Records"]:',
         '    def handler(event, context):\n        failures = []\n        for record in event["Records"]:'),
        ('                return {"batchItemFailures": [\n                    {"itemIdentifier": record["kinesis"]["sequenceNumber"]}]}\n        return {"batchItemFailures": []}',
         '                failures.append({"itemIdentifier": record["kinesis"]["sequenceNumber"]})\n        return {"batchItemFailures": failures}'),
    ],
}

EXPECTED_FAILURES = {
    'test_kinesis_handler_reports_first_failure': 'Stop at the first failure',
    'test_kinesis_end_to_end': 'the mapping and the replay account for',
}

"""The Kinesis handler passes the base64 text to process instead of the decoded bytes."""

BELIEVED = "Lambda hands the handler each record's data as it was written."

VIOLATES = ['3.1']

EDITS = {
    'make_kinesis_handler': [
        ('process(base64.b64decode(record["kinesis"]["data"]))', 'process(record["kinesis"]["data"])'),
    ],
}

EXPECTED_FAILURES = {
    'test_kinesis_handler_reports_first_failure': 'base64-decoded',
}

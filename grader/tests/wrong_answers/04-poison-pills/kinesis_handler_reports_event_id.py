"""The Kinesis handler names the failed record by its eventID, not its sequence number."""

BELIEVED = "A record's eventID is the identifier Lambda wants back."

VIOLATES = ['3.3']

EDITS = {
    'make_kinesis_handler': [
        ('{"itemIdentifier": record["kinesis"]["sequenceNumber"]}', '{"itemIdentifier": record["eventID"]}'),
    ],
}

EXPECTED_FAILURES = {
    'test_kinesis_handler_reports_first_failure': 'not its receipt handle or event id',
}

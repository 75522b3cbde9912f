"""The Kinesis handler reports the sequence number as an integer."""

BELIEVED = "A sequence number is a number, so Lambda wants it as one."

VIOLATES = ["3.3"]

EDITS = {
    "make_kinesis_handler": [
        ('{"itemIdentifier": record["kinesis"]["sequenceNumber"]}',
         '{"itemIdentifier": int(record["kinesis"]["sequenceNumber"])}'),
    ],
}

EXPECTED_FAILURES = {
    "test_kinesis_handler_reports_first_failure": "each identifier a string of this batch",
}

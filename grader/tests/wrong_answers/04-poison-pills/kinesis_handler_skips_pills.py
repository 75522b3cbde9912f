"""The Kinesis handler skips a record that fails and goes on, reporting nothing."""

BELIEVED = "A pill can simply be skipped: the records after it are what matters."

VIOLATES = ["3.2", "3.3"]

EDITS = {
    "make_kinesis_handler": [
        ('                return {"batchItemFailures": [\n                    {"itemIdentifier": record["kinesis"]["sequenceNumber"]}]}',
         '                continue'),
    ],
}

EXPECTED_FAILURES = {
    "test_kinesis_handler_reports_first_failure": "went on after the failure",
    "test_kinesis_handler_cases": "went on after the failure",
}

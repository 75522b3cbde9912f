"""The Kinesis handler returns nothing when every record succeeds."""

BELIEVED = "Returning nothing is the same as saying nothing failed."

VIOLATES = ["3.4"]

EDITS = {
    "make_kinesis_handler": [
        ('        return {"batchItemFailures": []}\n', '        return None\n'),
    ],
}

EXPECTED_FAILURES = {
    "test_kinesis_handler_reports_first_failure": "nothing failed",
    "test_kinesis_handler_cases": "nothing failed",
}

"""The Kinesis mapping bounds retries but leaves the records' age unbounded."""

BELIEVED = "MaximumRetryAttempts alone bounds the wait; the age limit adds nothing."

VIOLATES = ["4.3"]

EDITS = {
    "kinesis_mapping": [
        ('        "MaximumRecordAgeInSeconds": 3600,\n', ''),
    ],
}

EXPECTED_FAILURES = {
    "test_mapping_settings": "MaximumRecordAgeInSeconds is -1",
}

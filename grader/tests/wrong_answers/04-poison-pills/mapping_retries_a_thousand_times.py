"""The Kinesis mapping retries a pill a thousand times within a day's age limit."""

BELIEVED = "A thousand quick retries take a few minutes at most."

VIOLATES = ["4.4"]

EDITS = {
    "kinesis_mapping": [
        ('"MaximumRetryAttempts": 3,', '"MaximumRetryAttempts": 1000,'),
        ('"MaximumRecordAgeInSeconds": 3600,', '"MaximumRecordAgeInSeconds": 86400,'),
    ],
}

EXPECTED_FAILURES = {
    "test_mapping_settings": "could wait on a pill",
}

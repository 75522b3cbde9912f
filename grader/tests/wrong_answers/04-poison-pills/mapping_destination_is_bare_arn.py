"""The Kinesis mapping gives OnFailure the ARN itself instead of {"Destination": arn}."""

BELIEVED = "OnFailure takes the destination's ARN directly."

VIOLATES = ["4.1"]

EDITS = {
    "kinesis_mapping": [
        ('{"OnFailure": {"Destination": destination_arn}}', '{"OnFailure": destination_arn}'),
    ],
}

EXPECTED_FAILURES = {
    "test_mapping_settings": "Lambda would refuse this event source mapping",
}

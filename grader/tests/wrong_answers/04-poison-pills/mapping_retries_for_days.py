"""The Kinesis mapping sets the largest bounds AWS allows, so a shard waits for hours."""

BELIEVED = "Any bound is a bound: the largest ones give a pill the most chances."

VIOLATES = ["4.4"]

EDITS = {
    "kinesis_mapping": [
        ('"MaximumRetryAttempts": 3,', '"MaximumRetryAttempts": 10000,'),
        ('"MaximumRecordAgeInSeconds": 3600,', '"MaximumRecordAgeInSeconds": 604800,'),
    ],
}

EXPECTED_FAILURES = {
    "test_mapping_settings": "could wait on a pill",
    "test_mapping_keeps_shard_moving": "could wait on a pill",
}

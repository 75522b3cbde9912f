"""The Kinesis mapping sets a maximum record age of 30 s, below what Lambda accepts."""

BELIEVED = "The shorter the age limit, the sooner the shard moves: 30 s is best."

VIOLATES = ["4.1"]

EDITS = {
    "kinesis_mapping": [
        ('"MaximumRecordAgeInSeconds": 3600,', '"MaximumRecordAgeInSeconds": 30,'),
    ],
}

EXPECTED_FAILURES = {
    "test_mapping_settings": "Lambda would refuse this event source mapping",
    "test_mapping_keeps_shard_moving": "MaximumRecordAgeInSeconds must be an integer, either -1",
}

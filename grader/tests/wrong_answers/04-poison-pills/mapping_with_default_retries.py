"""The Kinesis mapping keeps AWS's default of retrying until the records expire."""

BELIEVED = "AWS's defaults already give up on a failing batch after a while."

VIOLATES = ['4.3']

EDITS = {
    'kinesis_mapping': [
        ('        "MaximumRetryAttempts": 3,\n', ''),
        ('        "MaximumRecordAgeInSeconds": 3600,\n', ''),
    ],
}

EXPECTED_FAILURES = {
    'test_mapping_settings': 'MaximumRetryAttempts is -1',
    'test_mapping_keeps_shard_moving': 'MaximumRetryAttempts is -1',
}

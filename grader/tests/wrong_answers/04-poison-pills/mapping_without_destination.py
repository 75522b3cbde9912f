"""The Kinesis mapping discards records with no on-failure destination."""

BELIEVED = 'Records the mapping gives up on are kept somewhere by Lambda anyway.'

VIOLATES = ['4.5']

EDITS = {
    'kinesis_mapping': [
        ('        "DestinationConfig": {"OnFailure": {"Destination": destination_arn}},\n', ''),
    ],
}

EXPECTED_FAILURES = {
    'test_mapping_settings': 'no OnFailure destination',
    'test_mapping_keeps_shard_moving': 'no OnFailure destination',
}

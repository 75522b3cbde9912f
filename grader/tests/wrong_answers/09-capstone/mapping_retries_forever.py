"""The mapping retries a failing batch forever: the shard stands still behind it."""

BELIEVED = "Retrying until it works can never lose an order."
VIOLATES = ["4.4"]

EDITS = {
    'mapping_config': [
        ('"MaximumRetryAttempts": 120,', '"MaximumRetryAttempts": -1,'),
    ],
}

EXPECTED_FAILURES = {
    'test_mapping_rides_out_and_gives_up': 'the shard stands still behind it',
}

"""The mapping gives a batch up after two retries: a short outage sets good orders aside."""

BELIEVED = "Two retries are plenty: the handler already sets poison aside."
VIOLATES = ["4.5"]

EDITS = {
    'mapping_config': [
        ('"MaximumRetryAttempts": 120,', '"MaximumRetryAttempts": 2,'),
    ],
}

EXPECTED_FAILURES = {
    'test_mapping_rides_out_and_gives_up':
        'a good order sent to the failure queue by a short outage',
}

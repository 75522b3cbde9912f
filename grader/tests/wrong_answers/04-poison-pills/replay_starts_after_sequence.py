"""The replay starts reading after startSequenceNumber, skipping the range's first record."""

BELIEVED = "The start of the range was already handled, so the replay starts after it."

VIOLATES = ["5.2"]

EDITS = {
    "replay_failures": [
        ('ShardIteratorType="AT_SEQUENCE_NUMBER"', 'ShardIteratorType="AFTER_SEQUENCE_NUMBER"'),
    ],
}

EXPECTED_FAILURES = {
    "test_replay_failures": "AFTER_SEQUENCE_NUMBER starts after it",
}

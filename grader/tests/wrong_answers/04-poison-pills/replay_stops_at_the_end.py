"""The replay stops at endSequenceNumber instead of after it, skipping the range's last record."""

BELIEVED = "The end of a range is exclusive, as in Python's range()."

VIOLATES = ["5.3"]

EDITS = {
    "replay_failures": [
        ('if int(record["SequenceNumber"]) > end:', 'if int(record["SequenceNumber"]) >= end:'),
    ],
}

EXPECTED_FAILURES = {
    "test_replay_failures": "never replayed",
}

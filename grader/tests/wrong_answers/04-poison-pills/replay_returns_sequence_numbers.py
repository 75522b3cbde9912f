"""The replay returns the failed sequence numbers alone, without their shard."""

BELIEVED = "A sequence number alone names a record."

VIOLATES = ["5.6"]

EDITS = {
    "replay_failures": [
        ('pills.append((info["shardId"], record["SequenceNumber"]))',
         'pills.append(record["SequenceNumber"])'),
    ],
}

EXPECTED_FAILURES = {
    "test_replay_failures": "list of (shard id, sequence number) pairs",
}

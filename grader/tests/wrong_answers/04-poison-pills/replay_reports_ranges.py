"""The replay reports the range of each batch that held a failure, not the failed records."""

BELIEVED = "A person wants the discarded range to look at, not each record."

VIOLATES = ["5.6"]

EDITS = {
    "replay_failures": [
        ('                    pills.append((info["shardId"], record["SequenceNumber"]))',
         '                    pills.append((info["shardId"], f"{info[\'startSequenceNumber\']}-{info[\'endSequenceNumber\']}"))'),
    ],
}

EXPECTED_FAILURES = {
    "test_replay_failures": "for each record that failed again",
}

"""The replay stops a range at the first record that fails again, as the Kinesis handler
stops a batch, and deletes the message: the records after the pill are never replayed."""

BELIEVED = "A replay should stop at a failure, as the handler does, so as not to skip the pill."

VIOLATES = ["5.4"]

EDITS = {
    "replay_failures": [
        ('                    pills.append((info["shardId"], record["SequenceNumber"]))\n',
         '                    pills.append((info["shardId"], record["SequenceNumber"]))\n'
         '                    break\n'),
    ],
}

EXPECTED_FAILURES = {
    "test_replay_failures": "the replay stopped there",
}

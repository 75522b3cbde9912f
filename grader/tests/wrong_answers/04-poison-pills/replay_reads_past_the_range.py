"""The replay reads on to the end of the shard instead of stopping at endSequenceNumber."""

BELIEVED = "Reading on to the shard's end is harmless: the rest was processed anyway."

VIOLATES = ['5.3']

EDITS = {
    'replay_failures': [
        ('                if int(record["SequenceNumber"]) > end:\n                    finished = True\n                    break\n', ''),
    ],
}

EXPECTED_FAILURES = {
    'test_replay_failures': 'outside the discarded ranges',
}

"""The replay compares sequence numbers as strings, which breaks when their lengths differ."""

BELIEVED = 'Sequence numbers are strings, so comparing them as strings is fine.'

VIOLATES = ['5.3']

EDITS = {
    'replay_failures': [
        ('        end = int(info["endSequenceNumber"])', '        end = info["endSequenceNumber"]'),
        ('                if int(record["SequenceNumber"]) > end:', '                if record["SequenceNumber"] > end:'),
    ],
}

EXPECTED_FAILURES = {
    'test_replay_failures': 'comparing sequence numbers as integers',
}

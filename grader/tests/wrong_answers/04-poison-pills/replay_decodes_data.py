"""The replay base64-decodes the records' data, as it would a Lambda event's."""

BELIEVED = "Record data from the stream is base64-encoded, as in a Lambda event."

VIOLATES = ["5.4"]

EDITS = {
    "replay_failures": [
        ('process(record["Data"])', 'process(base64.b64decode(record["Data"]))'),
    ],
}

EXPECTED_FAILURES = {
    "test_replay_failures": "replay",
}

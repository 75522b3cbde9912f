"""The replay takes an empty page of GetRecords for the end of the shard, though records
lie ahead (MillisBehindLatest above 0), and deletes a message whose records it never read."""

BELIEVED = "GetRecords returns an empty page only when there is nothing more to read."

VIOLATES = ["5.2"]

EDITS = {
    "replay_failures": [
        ('if not page["Records"] and page["MillisBehindLatest"] == 0:',
         'if not page["Records"]:'),
    ],
}

EXPECTED_FAILURES = {
    "test_replay_failures": "A page may be empty while more records wait",
}

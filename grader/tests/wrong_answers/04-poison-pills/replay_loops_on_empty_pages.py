"""The replay stops only at a record past the range's end, so at the shard's tip it never stops."""

BELIEVED = "Every range has a record after it, so reaching one is the only way a read ends."

VIOLATES = ["5.3"]

EDITS = {
    "replay_failures": [
        ('            if not page["Records"] and page["MillisBehindLatest"] == 0:\n'
         '                break  # caught up with the shard\'s tip: nothing more to read\n', ''),
    ],
}

EXPECTED_FAILURES = {
    "test_replay_failures": "does your loop stop after the end of the range?",
}

"""The replay skips records past the range's end but goes on reading the shard to its tip."""

BELIEVED = "Reading on to an empty page is the safe way to be sure no record of the range is missed."

VIOLATES = ["5.3"]

EDITS = {
    "replay_failures": [
        ("        while iterator and not finished:", "        while iterator:"),
    ],
}

EXPECTED_FAILURES = {
    "test_replay_failures": "pages that held only records past endSequenceNumber",
}

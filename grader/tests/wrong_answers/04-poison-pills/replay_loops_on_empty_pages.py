"""The replay stops only at a record past the range's end, so at the shard's tip it never stops."""

BELIEVED = "Every range has a record after it, so reaching one is the only way a read ends."

VIOLATES = ["5.3"]

EDITS = {
    "replay_failures": [
        ('                if not page["Records"]:\n                    break\n', ''),
    ],
}

EXPECTED_FAILURES = {
    "test_replay_failures": "does your loop stop after the end of the range?",
}

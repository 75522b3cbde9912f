"""SentTimestamp's milliseconds are subtracted from seconds: every message looks ancient."""

BELIEVED = "SentTimestamp is in seconds, like time.time()."
VIOLATES = ["1.1"]

EDITS = {
    'message_age_s': [('    return now_s - sent_ms / 1000', '    return now_s - sent_ms')],
}

EXPECTED_FAILURES = {
    'test_message_age': 'milliseconds',
}

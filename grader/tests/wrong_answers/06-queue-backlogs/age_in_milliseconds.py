"""SentTimestamp's milliseconds are subtracted from seconds: every message looks ancient."""

EDITS = {
    'message_age_s': [('    return now_s - sent_ms / 1000', '    return now_s - sent_ms')],
}

EXPECTED_FAILURES = {
    'test_message_age': 'milliseconds',
}

"""The milliseconds are floor-divided into whole seconds: ages are off by up to a second."""

BELIEVED = "An age to the second is precise enough."
VIOLATES = ["1.1"]

EDITS = {
    'message_age_s': [('    return now_s - sent_ms / 1000', '    return now_s - sent_ms // 1000')],
}

EXPECTED_FAILURES = {
    'test_message_age': 'Keep the milliseconds',
}

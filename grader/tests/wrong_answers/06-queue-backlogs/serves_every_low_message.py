"""Everything from the low queue is served, however stale: expiry is skipped there."""

BELIEVED = "A message that was moved has waited its turn, so it is always served."
VIOLATES = ["3.4"]

EDITS = {
    'consume_batch': [('        if name == "low" and action == "defer":',
                       '        if name == "low":')],
}

EXPECTED_FAILURES = {
    'test_low_priority_served_when_main_is_empty': 'should be expired',
    'test_moved_messages_keep_their_age': 'it should be expired',
}

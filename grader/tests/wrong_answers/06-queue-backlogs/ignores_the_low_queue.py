"""Only the main queue is ever read: deferred work waits in the low queue for ever."""

BELIEVED = "Moving a message to the low queue is enough; someone else will serve it."
VIOLATES = ["3.2"]

EDITS = {
    'consume_batch': [('    for name in ("main", "low"):', '    for name in ("main",):')],
}

EXPECTED_FAILURES = {
    'test_low_priority_served_when_main_is_empty': 'should receive from the low queue',
}

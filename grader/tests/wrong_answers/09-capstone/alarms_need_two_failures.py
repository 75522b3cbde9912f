"""The failures alarm waits for a second message in the failure queue."""

BELIEVED = "One failed order is noise; an alarm should wait for a pattern."
VIOLATES = ["5.3"]

EDITS = {
    'alarms': [
        ("    if period.failure_queue_depth > 0:\n", "    if period.failure_queue_depth > 1:\n"),
    ],
}

EXPECTED_FAILURES = {
    'test_alarms_everywhere': "alarms did not raise 'failures'",
}

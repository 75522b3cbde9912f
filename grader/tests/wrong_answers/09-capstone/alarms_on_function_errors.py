"""The alarms raise "failures" when the consumer's function fails, though the mapping retries it."""

BELIEVED = "A failed invocation is a failed order."
VIOLATES = ["5.5"]

EDITS = {
    'alarms': [
        ("    if period.failure_queue_depth > 0:\n",
         "    if period.failure_queue_depth > 0 or period.function_errors > 0:\n"),
    ],
}

EXPECTED_FAILURES = {
    'test_alarms_everywhere': "alarms raised 'failures'",
    'test_alarms_work': 'a false alarm',
}

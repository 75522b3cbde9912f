"""The consumer takes records until the batch ends, however little time the invocation has left."""

BELIEVED = "Lambda's timeout is generous; the batch always fits."
VIOLATES = ["3.6"]

EDITS = {
    'make_handler': [
        ("            if context.get_remaining_time_in_millis() < TIME_TO_STOP_S * 1000:\n"
         "                stopped_at = number\n                break\n", ""),
    ],
}

EXPECTED_FAILURES = {
    'test_handler_everywhere': 'time for',
}

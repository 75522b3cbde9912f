"""The alarms raise "failures" on payment errors, which the mapping's retries absorb."""

BELIEVED = "A payment error is a failed order."
VIOLATES = ["5.5"]

EDITS = {
    'alarms': [
        ("    if period.failure_queue_depth > 0:\n",
         "    if period.failure_queue_depth > 0 or period.payment_errors > 0:\n"),
    ],
}

EXPECTED_FAILURES = {
    'test_alarms_watch_symptoms': 'on a cause that retries absorb',
    'test_alarms_work': 'a false alarm',
}

"""The producer checks that the wait ends before the deadline, but not the call after it."""

BELIEVED = "A retry is in time if it starts before the deadline."
VIOLATES = ["2.5"]

EDITS = {
    'send_orders': [
        ("clock.now() + wait_s + SERVICE_CLIENT_READ_TIMEOUT_S > deadline_s",
         "clock.now() + wait_s > deadline_s"),
    ],
}

EXPECTED_FAILURES = {
    'test_send_orders_everywhere': 'could not finish by the deadline (2.5)',
}

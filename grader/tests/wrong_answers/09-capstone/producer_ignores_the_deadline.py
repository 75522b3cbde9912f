"""The producer retries while its budget lasts, past the deadline its door promised clients."""

BELIEVED = "Retrying longer can only help: the write gets through in the end."
VIOLATES = ["2.5"]

EDITS = {
    'send_orders': [
        ("        if clock.now() + wait_s + SERVICE_CLIENT_READ_TIMEOUT_S > deadline_s:\n"
         "            break\n", ""),
    ],
}

EXPECTED_FAILURES = {
    'test_send_orders_everywhere': 'could not finish by the deadline (2.5)',
    'test_nothing_lost': 'requests got no answer before their client gave up',
}

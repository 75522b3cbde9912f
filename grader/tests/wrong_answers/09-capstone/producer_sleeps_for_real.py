"""The producer waits with time.sleep, not with the simulated clock it is given."""

BELIEVED = "clock.sleep and time.sleep are the same thing."
VIOLATES = ["2.3"]

EDITS = {
    'send_orders': [
        ("def send_orders(", "import time\n\n\ndef send_orders("),
        ("        clock.sleep(wait_s)\n", "        time.sleep(wait_s)\n"),
    ],
}

EXPECTED_FAILURES = {
    'test_send_orders_resends_failures': 'the waits were []',
}

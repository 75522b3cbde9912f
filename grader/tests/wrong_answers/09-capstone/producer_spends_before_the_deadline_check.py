"""The producer takes a retry token before checking the deadline, and wastes it when out of time."""

BELIEVED = "Whether the token or the deadline is checked first makes no difference."
VIOLATES = ["2.4"]

EDITS = {
    'send_orders': [
        ("        if clock.now() + wait_s + SERVICE_CLIENT_READ_TIMEOUT_S > deadline_s:\n"
         "            break\n        if not budget.try_spend():\n            break\n",
         "        if not budget.try_spend():\n            break\n"
         "        if clock.now() + wait_s + SERVICE_CLIENT_READ_TIMEOUT_S > deadline_s:\n"
         "            break\n"),
    ],
}

EXPECTED_FAILURES = {
    'test_send_orders_everywhere': 'deposit once per call of send_orders, spend before each',
}

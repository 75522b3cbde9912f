"""The producer retries without a retry budget: in an outage every flush multiplies the load."""

BELIEVED = "A retry budget is for clients; a producer with a deadline needs none."
VIOLATES = ["2.4"]

EDITS = {
    'send_orders': [
        ("    budget.deposit()\n", ""),
        ("        if not budget.try_spend():\n            break\n", ""),
    ],
}

EXPECTED_FAILURES = {
    'test_send_orders_everywhere': 'budget',
}

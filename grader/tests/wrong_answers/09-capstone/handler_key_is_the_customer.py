"""The idempotency key is the customer: a customer's second order gets the first order's receipt."""

BELIEVED = "The key is there so that no customer is charged twice."
VIOLATES = ["3.2"]

EDITS = {
    'make_handler': [
        ('idempotency_key=order["order_id"]', 'idempotency_key=order["customer"]'),
    ],
}

EXPECTED_FAILURES = {
    'test_handler_everywhere': "The order's own id makes a retry harmless (chapter 8)",
    'test_nothing_doubled': 'stored orders were never charged',
}

"""The producer returns every order's id, written or not: the door acknowledges lost orders."""

BELIEVED = "After my retries every order is surely in the stream."
VIOLATES = ["2.7"]

EDITS = {
    'send_orders': [
        ("    return written\n", '    return [order["order_id"] for order in orders]\n'),
    ],
}

EXPECTED_FAILURES = {
    'test_send_orders_everywhere': 'Every id returned must be in the stream',
    'test_nothing_lost': 'it never reached the stream',
}

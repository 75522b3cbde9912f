"""The consumer charges without an idempotency key: a redelivered order is charged again."""

BELIEVED = "Each record is delivered once, so the charge needs no key."
VIOLATES = ["3.2"]

EDITS = {
    'make_handler': [
        ('                                idempotency_key=order["order_id"],\n', ""),
    ],
}

EXPECTED_FAILURES = {
    'test_handler_everywhere': "The order's own id makes a retry harmless (chapter 8)",
    'test_nothing_doubled': 'orders were charged more than once',
}

"""The idempotency key is the record's sequence number: the producer's resend is a new record."""

BELIEVED = "A Kinesis sequence number names the order for good."
VIOLATES = ["3.2"]

EDITS = {
    'make_handler': [
        ('idempotency_key=order["order_id"]', "idempotency_key=number"),
    ],
}

EXPECTED_FAILURES = {
    'test_handler_everywhere': "The order's own id makes a retry harmless (chapter 8)",
}

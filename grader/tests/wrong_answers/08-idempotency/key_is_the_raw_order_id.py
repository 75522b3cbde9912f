"""The key is the order_id itself, as it comes: an empty order_id gives an empty key."""

BELIEVED = "The order_id already names the order, so it can serve as the key unchanged."
VIOLATES = ["1.1"]

ANSWERS = {
    'idempotency_key': '''def idempotency_key(record):
    """The key of the request a message carries: the order it charges."""
    return str(json.loads(record["body"])["order_id"])
''',
}

EXPECTED_FAILURES = {
    'test_key_is_stable': 'An order_id may be empty',
}

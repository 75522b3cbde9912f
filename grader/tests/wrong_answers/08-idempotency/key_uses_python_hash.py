"""The key is Python's hash() of the order_id, which is salted anew in every process."""

BELIEVED = "hash() of the same string always gives the same number."
VIOLATES = ["1.2"]

ANSWERS = {
    'idempotency_key': '''def idempotency_key(record):
    """The key of the request a message carries: the order it charges."""
    order_id = json.loads(record["body"])["order_id"]
    return f"order-{hash(order_id) & 0xFFFFFFFFFFFFFFFF:016x}"
''',
}

EXPECTED_FAILURES = {
    'test_key_is_stable': 'Run in a fresh Python process',
}

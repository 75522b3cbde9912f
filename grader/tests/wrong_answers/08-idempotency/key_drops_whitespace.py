"""The key drops every space from the order_id: orders "o 17" and "o17" share a key."""

BELIEVED = "Copies may come with other spacing, so spaces in the order_id do not count."
VIOLATES = ["1.3"]

ANSWERS = {
    'idempotency_key': '''def idempotency_key(record):
    """The key of the request a message carries: the order it charges."""
    import hashlib

    order_id = "".join(json.loads(record["body"])["order_id"].split())
    return "order#" + hashlib.sha256(order_id.encode()).hexdigest()
''',
}

EXPECTED_FAILURES = {
    'test_key_is_stable': 'ids a space apart are different orders',
}

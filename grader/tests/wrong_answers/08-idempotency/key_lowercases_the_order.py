"""The key normalises the order id to lower case: orders "AB-7" and "ab-7" share a key."""

BELIEVED = "Order ids are case-insensitive, so normalising them avoids near-duplicates."
VIOLATES = ["1.3"]

ANSWERS = {
    'idempotency_key': '''def idempotency_key(record):
    """The key of the request a message carries: the order it charges."""
    order_id = json.loads(record["body"])["order_id"]
    return "order#" + order_id.strip().lower()
''',
}

EXPECTED_FAILURES = {
    'test_key_is_stable': 'got the same key',
}

"""The key is the order id and the time it was sent: a producer's retry gets another key."""

BELIEVED = "An order and the moment it was sent together name one request."
VIOLATES = ["1.2"]

ANSWERS = {
    'idempotency_key': '''def idempotency_key(record):
    """The key of the request a message carries: the order it charges."""
    payload = json.loads(record["body"])
    return "{}@{}".format(payload["order_id"], payload["sent_at"])
''',
}

EXPECTED_FAILURES = {
    'test_key_names_the_order': 'got different keys',
    'test_key_is_stable': 'The key must depend on the order alone',
}

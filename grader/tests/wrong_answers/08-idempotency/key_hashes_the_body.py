"""The key hashes the whole body, whose sent_at differs between a producer's attempts."""

BELIEVED = "A hash of the whole body identifies the request."
VIOLATES = ["1.2"]

EDITS = {
    'idempotency_key': [
        ("    order = json.loads(record[\"body\"])\n    return f\"charge:{order['order_id']}\"",
         '    import hashlib\n    return hashlib.sha256(record["body"].encode()).hexdigest()'),
    ],
}

EXPECTED_FAILURES = {
    'test_key_names_the_order': 'not from the whole body',
    'test_key_is_stable': 'The key must depend on the order alone',
    'test_every_copy_gets_one_receipt': 'Every copy gets the same key',
}

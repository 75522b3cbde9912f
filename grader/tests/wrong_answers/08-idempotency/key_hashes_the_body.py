"""The key hashes the whole body, whose sent_at differs between a producer's attempts."""

EDITS = {
    'idempotency_key': [
        ("    order = json.loads(record[\"body\"])\n    return f\"charge:{order['order_id']}\"",
         '    import hashlib\n    return hashlib.sha256(record["body"].encode()).hexdigest()'),
    ],
}

EXPECTED_FAILURES = {
    'test_key_names_the_order': 'not from the whole body',
    'test_key_is_stable': "not the body's text",
    'test_producer_retries_charge_once': 'charged the order again',
}

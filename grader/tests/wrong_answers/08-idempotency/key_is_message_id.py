"""The key is the messageId: a producer's retry is a new message, so it charges again."""

BELIEVED = "SQS's messageId names the request."
VIOLATES = ["1.2"]

EDITS = {
    'idempotency_key': [
        ("    order = json.loads(record[\"body\"])\n    return f\"charge:{order['order_id']}\"",
         '    return record["messageId"]'),
    ],
}

EXPECTED_FAILURES = {
    'test_key_names_the_order': 'Your key is the messageId',
    'test_key_is_stable': 'not the messageId',
    'test_every_copy_gets_one_receipt': 'Every copy gets the same key',
}

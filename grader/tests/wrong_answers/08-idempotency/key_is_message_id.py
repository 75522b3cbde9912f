"""The key is the messageId: a producer's retry is a new message, so it charges again."""

EDITS = {
    'idempotency_key': [
        ("    order = json.loads(record[\"body\"])\n    return f\"charge:{order['order_id']}\"",
         '    return record["messageId"]'),
    ],
}

EXPECTED_FAILURES = {
    'test_key_names_the_order': 'Your key is the messageId',
    'test_producer_retries_charge_once': 'Key the record by the order',
    'test_end_to_end_exactly_once': 'charged more than once',
}

"""After a partly failed PutRecords, the producer sends the whole batch again."""

BELIEVED = "A batch either succeeds or is sent again as a whole."
VIOLATES = ["2.2"]

EDITS = {
    'send_orders': [
        ("        pending = failed\n", "        pending = list(orders)\n"),
    ],
}

EXPECTED_FAILURES = {
    'test_send_orders_resends_failures': 'the second call should send exactly those two',
}

"""The producer writes each order with its own put_record call."""

BELIEVED = "One record a call is simpler, and a failure then concerns one order only."
VIOLATES = ["2.1"]

ANSWERS = {
    'send_orders': '''def send_orders(kinesis, stream, orders, *, clock, rng, budget, deadline_s):
    """Write the orders to the stream, resending only what failed; return the ids written."""
    budget.deposit()
    written = []
    for order in orders:
        try:
            kinesis.put_record(StreamName=stream, Data=json.dumps(order),
                               PartitionKey=order["order_id"])
        except (ClientError, BotoCoreError):
            continue
        written.append(order["order_id"])
    return written
''',
}

EXPECTED_FAILURES = {
    'test_send_orders_resends_failures': 'the second call should send exactly those two',
}

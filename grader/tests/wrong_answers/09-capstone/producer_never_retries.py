"""The producer makes one PutRecords call and never retries what failed."""

BELIEVED = "The clients retry, so the producer need not."
VIOLATES = ["2.2"]

ANSWERS = {
    'send_orders': '''def send_orders(kinesis, stream, orders, *, clock, rng, budget, deadline_s):
    """Write the orders to the stream, resending only what failed; return the ids written."""
    budget.deposit()
    try:
        response = kinesis.put_records(StreamName=stream, Records=[
            {"Data": json.dumps(order), "PartitionKey": order["order_id"]} for order in orders])
    except (ClientError, BotoCoreError):
        return []
    return [order["order_id"] for order, entry in zip(orders, response["Records"])
            if "ErrorCode" not in entry]
''',
}

EXPECTED_FAILURES = {
    'test_send_orders_resends_failures': 'the second call should send exactly those two',
    'test_send_orders_everywhere': 'retry what failed while the budget and the deadline allow',
}

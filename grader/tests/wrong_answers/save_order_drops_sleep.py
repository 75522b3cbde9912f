"""save_order does not pass its sleep and rng on to call_with_retries, so it sleeps for real."""

REPLACES = {"save_order": '''
def save_order(dynamodb, order, *, sleep=time.sleep, rng=random):
    """Store ``order`` in the orders table, retrying throttled writes."""
    item = {"id": {"S": order["id"]}, "total": {"N": str(order["total"])}}
    return call_with_retries(
        lambda: dynamodb.put_item(TableName="orders", Item=item),
        max_attempts=5, base=0.05, cap=1.0,
    )
'''}

EXPECTED_FAILURES = {
    "test_save_order": "there should be 2 call(s) to the injected sleep; there were 0",
}

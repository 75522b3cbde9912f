"""save_order calls put_item directly, with no retries (as if the SDK still retried)."""

REPLACES = {"save_order": '''
def save_order(dynamodb, order, *, sleep=time.sleep, rng=random):
    """Store ``order`` in the orders table, retrying throttled writes."""
    item = {"id": {"S": order["id"]}, "total": {"N": str(order["total"])}}
    return dynamodb.put_item(TableName="orders", Item=item)
'''}

EXPECTED_FAILURES = {
    "test_save_order": "Write through call_with_retries, so throttled writes are retried",
}

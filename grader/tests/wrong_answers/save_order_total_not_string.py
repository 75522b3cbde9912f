"""save_order sends the total as a Python number, but DynamoDB's "N" type is a string."""

REPLACES = {"save_order": '''
def save_order(dynamodb, order, *, sleep=time.sleep, rng=random):
    """Store ``order`` in the orders table, retrying throttled writes."""
    item = {"id": {"S": order["id"]}, "total": {"N": order["total"]}}
    return call_with_retries(
        lambda: dynamodb.put_item(TableName="orders", Item=item),
        max_attempts=5, base=0.05, cap=1.0, sleep=sleep, rng=rng,
    )
'''}

EXPECTED_FAILURES = {
    "test_save_order": "Invalid type for parameter Item.total.N",
}

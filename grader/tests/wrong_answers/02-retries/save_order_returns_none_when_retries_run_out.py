"""save_order catches the error call_with_retries raises when its retries run out, and
returns None: the order is lost without a word to the caller."""

BELIEVED = "Once save_order has retried, a failure is logged and the caller need not hear of it."

VIOLATES = ["5.3"]

ANSWERS = {
    "save_order": '''
def save_order(dynamodb, order, *, sleep=time.sleep, rng=random):
    """Store the order; log and move on if DynamoDB keeps failing."""
    item = {
        "id": {"S": order["id"]},
        "total": {"N": str(order["total"])},
    }

    def write():
        return dynamodb.put_item(TableName="orders", Item=item)

    try:
        return call_with_retries(write, max_attempts=5, base=0.05, cap=1.0,
                                 sleep=sleep, rng=rng)
    except ClientError as error:
        print(f"could not save order {order['id']}: {error}")
        return None
''',
}

EXPECTED_FAILURES = {
    "test_save_order": "raise that error",
}

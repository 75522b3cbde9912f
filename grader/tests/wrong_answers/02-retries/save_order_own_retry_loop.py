"""save_order retries with a loop of its own: a fixed exponential wait and no jitter, and only
for ClientError."""

BELIEVED = "A simple loop with doubling waits does what call_with_retries does."

VIOLATES = ["5.2"]

ANSWERS = {
    "save_order": '''
def save_order(dynamodb, order, *, sleep=time.sleep, rng=random):
    item = {"id": {"S": order["id"]}, "total": {"N": str(order["total"])}}
    wait = 0.05
    for attempt in range(5):
        try:
            return dynamodb.put_item(TableName="orders", Item=item)
        except ClientError:
            if attempt == 4:
                raise
            sleep(wait)
            wait = min(1.0, wait * 2)
''',
}

EXPECTED_FAILURES = {
    "test_save_order": "call_with_retries",
}

"""save_order with functools.partial for the write, the total formatted with an f-string, a
log line, and no return value (the instructions ask for none)."""

ANSWERS = {
    "save_order": '''
import functools


def save_order(dynamodb, order, *, sleep=time.sleep, rng=random):
    """Write the order, retried through call_with_retries; raises if it cannot."""
    write = functools.partial(
        dynamodb.put_item,
        TableName="orders",
        Item={"id": {"S": order["id"]}, "total": {"N": f"{order['total']}"}},
    )
    call_with_retries(write, max_attempts=5, base=0.05, cap=1.0, sleep=sleep, rng=rng)
    print(f"saved order {order['id']}")
''',
}

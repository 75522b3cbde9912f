"""save_order calls put_item directly, with no retries (as if the SDK still retried)."""

BELIEVED = "The SDK retries throttled writes on its own, so save_order need not."

VIOLATES = ["5.2"]

EDITS = {
    "save_order": [
        ("""    return call_with_retries(
        lambda: dynamodb.put_item(TableName="orders", Item=item),
        max_attempts=5, base=0.05, cap=1.0, sleep=sleep, rng=rng,
    )""",
         """    return dynamodb.put_item(TableName="orders", Item=item)"""),
    ],
}

EXPECTED_FAILURES = {
    "test_save_order": "Write through call_with_retries",
}

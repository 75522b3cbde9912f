"""Every failure releases the key, the in-progress one too: a duplicate deletes another's claim."""

BELIEVED = "Whenever charge_once fails, deleting the record is the safe way to clean up."
VIOLATES = ["3.6"]

ANSWERS = {
    'charge_once': '''def charge_once(record, dynamodb, gateway, now):
    """Charge the record's order exactly once; every copy gets the same receipt."""
    order = json.loads(record["body"])
    key = idempotency_key(record)
    try:
        in_the_way = claim(dynamodb, key, now())
        if in_the_way is not None:
            if in_the_way["status"]["S"] == "COMPLETED":
                return json.loads(in_the_way["response"]["S"])
            raise RuntimeError("another invocation is charging this order")
        receipt = gateway.charge(order["order_id"], order["amount_cents"], idempotency_key=key)
        dynamodb.put_item(TableName=IDEMPOTENCY_TABLE, Item={
            "id": {"S": key}, "status": {"S": "COMPLETED"},
            "expires_at": {"N": str(int(now()) + SQS_MAX_RETENTION_S)},
            "response": {"S": json.dumps(receipt)}})
        return receipt
    except Exception:
        dynamodb.delete_item(TableName=IDEMPOTENCY_TABLE, Key={"id": {"S": key}})
        raise
''',
}

EXPECTED_FAILURES = {
    'test_concurrent_duplicate_waits': "leave another invocation's claim alone",
}

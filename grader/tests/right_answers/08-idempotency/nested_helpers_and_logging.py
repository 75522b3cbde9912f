"""Helpers nested in each answer, a custom exception, print logging, failures in reverse order."""

ANSWERS = {
    'charge_once': '''def charge_once(record, dynamodb, gateway, now):
    """Charge the record's order exactly once; every copy gets the same receipt."""

    class OrderInProgress(RuntimeError):
        """Another invocation holds this order's claim."""

    def release(key):
        print(f"releasing {key}")
        dynamodb.delete_item(TableName=IDEMPOTENCY_TABLE, Key={"id": {"S": key}})

    def complete(key, receipt):
        dynamodb.put_item(TableName=IDEMPOTENCY_TABLE, Item={
            "id": {"S": key},
            "status": {"S": "COMPLETED"},
            "response": {"S": json.dumps(receipt)},
            "expires_at": {"N": str(int(now()) + SQS_MAX_RETENTION_S + 3600)},
        })
        print(f"completed {key}")

    order = json.loads(record["body"])
    key = idempotency_key(record)
    holder = claim(dynamodb, key, now())
    if holder is not None:
        status = holder["status"]["S"]
        print(f"{key} is {status}")
        if status == "IN_PROGRESS":
            raise OrderInProgress(key)
        return json.loads(holder["response"]["S"])
    try:
        receipt = gateway.charge(order["order_id"], order["amount_cents"], idempotency_key=key)
    except Exception:
        release(key)
        raise
    complete(key, receipt)
    return receipt
''',
    'make_handler': '''def make_handler(dynamodb, gateway, now):
    """An SQS handler that charges every order of a batch once and reports what failed."""

    def charged(record):
        try:
            charge_once(record, dynamodb, gateway, now)
        except Exception as error:
            print(f"message {record['messageId']} failed: {error!r}")
            return False
        return True

    def handler(event, context):
        results = [(record["messageId"], charged(record)) for record in event["Records"]]
        failed = [message_id for message_id, ok in reversed(results) if not ok]
        return {"batchItemFailures": [{"itemIdentifier": message_id} for message_id in failed]}

    return handler
''',
}

"""TypeDeserializer, a key of order and amount, records kept 14 days from sending."""

ANSWERS = {
    'idempotency_key': '''def idempotency_key(record):
    """The key of the request a message carries: the order it charges."""
    body = json.loads(record["body"])
    return "order:{}:{}".format(body["order_id"], body["amount_cents"])
''',
    'charge_once': '''def charge_once(record, dynamodb, gateway, now):
    """Charge the record's order exactly once; every copy gets the same receipt."""
    from boto3.dynamodb.types import TypeDeserializer

    body = json.loads(record["body"])
    key = idempotency_key(record)
    found = claim(dynamodb, key, now())
    if found:
        plain = {name: TypeDeserializer().deserialize(value) for name, value in found.items()}
        if plain["status"] == "COMPLETED":
            return json.loads(plain["response"])
        raise RuntimeError("being charged by another invocation")
    try:
        receipt = gateway.charge(body["order_id"], body["amount_cents"], idempotency_key=key)
    except Exception:
        dynamodb.delete_item(TableName=IDEMPOTENCY_TABLE, Key={"id": {"S": key}})
        raise
    last_copy_s = float(body["sent_at"]) + SQS_MAX_RETENTION_S  # no copy arrives later
    dynamodb.put_item(TableName=IDEMPOTENCY_TABLE, Item={
        "id": {"S": key}, "status": {"S": "COMPLETED"},
        "expires_at": {"N": str(int(max(last_copy_s, now())) + 1)},
        "response": {"S": json.dumps(receipt)}})
    return receipt
''',
}

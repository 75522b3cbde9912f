"""A hashed key, times kept as fractional seconds, and completed records kept a month."""

ANSWERS = {
    'idempotency_key': '''def idempotency_key(record):
    """The key of the request a message carries: the order it charges."""
    import hashlib

    order_id = json.loads(record["body"])["order_id"]
    return "order-" + hashlib.sha256(order_id.encode("utf-8")).hexdigest()
''',
    'claim': '''def claim(dynamodb, key, now_s):
    """Claim ``key`` for this invocation: None if this call got it, else the record in the way."""
    record = {"id": {"S": key}, "status": {"S": "IN_PROGRESS"},
              "expires_at": {"N": repr(float(now_s) + FUNCTION_TIMEOUT_S)}}
    try:
        dynamodb.put_item(TableName=IDEMPOTENCY_TABLE, Item=record,
                          ConditionExpression="attribute_not_exists(id) OR expires_at < :now",
                          ExpressionAttributeValues={":now": {"N": repr(float(now_s))}},
                          ReturnValuesOnConditionCheckFailure="ALL_OLD")
        return None
    except ClientError as error:
        if error.response["Error"]["Code"] == "ConditionalCheckFailedException":
            return error.response["Item"]
        raise
''',
    'charge_once': '''def charge_once(record, dynamodb, gateway, now):
    """Charge the record's order exactly once; every copy gets the same receipt."""
    keep_completed_s = 30 * 24 * 3600  # longer than any message can live in SQS
    order = json.loads(record["body"])
    key = idempotency_key(record)
    found = claim(dynamodb, key, now())
    if found is not None and found["status"]["S"] == "COMPLETED":
        return json.loads(found["response"]["S"])
    if found is not None:
        raise RuntimeError("in progress elsewhere; the message will come back")
    try:
        receipt = gateway.charge(order["order_id"], order["amount_cents"], idempotency_key=key)
    except (ConnectionError, TimeoutError):
        dynamodb.delete_item(TableName=IDEMPOTENCY_TABLE, Key={"id": {"S": key}})
        raise
    dynamodb.put_item(TableName=IDEMPOTENCY_TABLE, Item={
        "id": {"S": key}, "status": {"S": "COMPLETED"},
        "expires_at": {"N": repr(now() + keep_completed_s)},
        "response": {"S": json.dumps(receipt, sort_keys=True)}})
    return receipt
''',
}

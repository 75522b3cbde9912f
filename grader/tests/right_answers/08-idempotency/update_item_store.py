"""Claim and completion as update_item calls; release as a conditional delete."""

ANSWERS = {
    'claim': '''def claim(dynamodb, key, now_s):
    """Claim ``key`` for this invocation: None if this call got it, else the record in the way."""
    try:
        dynamodb.update_item(
            TableName=IDEMPOTENCY_TABLE,
            Key={"id": {"S": key}},
            UpdateExpression="SET #status = :in_progress, expires_at = :until",
            ConditionExpression="attribute_not_exists(id) OR expires_at < :now",
            ExpressionAttributeNames={"#status": "status"},
            ExpressionAttributeValues={":in_progress": {"S": "IN_PROGRESS"},
                                       ":until": {"N": str(now_s + FUNCTION_TIMEOUT_S)},
                                       ":now": {"N": str(now_s)}},
            ReturnValuesOnConditionCheckFailure="ALL_OLD",
        )
    except dynamodb.exceptions.ConditionalCheckFailedException as lost:
        return lost.response["Item"]
    return None
''',
    'charge_once': '''def charge_once(record, dynamodb, gateway, now):
    """Charge the record's order exactly once; every copy gets the same receipt."""
    order = json.loads(record["body"])
    key = idempotency_key(record)
    in_the_way = claim(dynamodb, key, now())
    if in_the_way is not None:
        if in_the_way["status"]["S"] == "COMPLETED":
            return json.loads(in_the_way["response"]["S"])
        raise RuntimeError(f"order {order['order_id']} is being charged right now")
    try:
        receipt = gateway.charge(order["order_id"], order["amount_cents"], idempotency_key=key)
    except Exception:
        dynamodb.delete_item(
            TableName=IDEMPOTENCY_TABLE, Key={"id": {"S": key}},
            ConditionExpression="#status = :in_progress",
            ExpressionAttributeNames={"#status": "status"},
            ExpressionAttributeValues={":in_progress": {"S": "IN_PROGRESS"}})
        raise
    dynamodb.update_item(
        TableName=IDEMPOTENCY_TABLE, Key={"id": {"S": key}},
        UpdateExpression="SET #status = :done, #response = :receipt, expires_at = :until",
        ExpressionAttributeNames={"#status": "status", "#response": "response"},
        ExpressionAttributeValues={":done": {"S": "COMPLETED"},
                                   ":receipt": {"S": json.dumps(receipt)},
                                   ":until": {"N": str(now() + SQS_MAX_RETENTION_S)}})
    return receipt
''',
}

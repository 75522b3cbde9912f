"""After a failed conditional write, the claim reads the record with get_item, which may be gone."""

BELIEVED = "After the conditional write failed, reading the record shows what is in the way."
VIOLATES = ["2.4"]

ANSWERS = {
    'claim': '''def claim(dynamodb, key, now_s):
    """Claim ``key`` for this invocation: None if this call got it, else the record in the way."""
    now_n = {"N": str(int(now_s))}
    new_record = {"id": {"S": key}, "status": {"S": "IN_PROGRESS"},
                  "expires_at": {"N": str(int(now_s) + FUNCTION_TIMEOUT_S)}}
    try:
        dynamodb.put_item(TableName=IDEMPOTENCY_TABLE, Item=new_record,
                          ConditionExpression="attribute_not_exists(id) OR expires_at < :now",
                          ExpressionAttributeValues={":now": now_n})
        return None
    except dynamodb.exceptions.ConditionalCheckFailedException:
        pass
    holder = dynamodb.get_item(TableName=IDEMPOTENCY_TABLE, Key={"id": {"S": key}},
                               ConsistentRead=True)
    return holder.get("Item")
''',
}

EXPECTED_FAILURES = {
    'test_claim_returns_the_record_in_the_way': 'reading it again afterwards can find nothing',
}

"""The claim reads any failed write as "a record is in the way": a throttled write claims."""

BELIEVED = "A put that fails means someone else's record is in the way, and no record back means the key is free."
VIOLATES = ["2.5", "3.4"]

ANSWERS = {
    'claim': '''def claim(dynamodb, key, now_s):
    """Claim ``key`` for this invocation: None if this call got it, else the record in the way."""
    lease_ends = int(now_s) + FUNCTION_TIMEOUT_S
    try:
        dynamodb.put_item(
            TableName=IDEMPOTENCY_TABLE,
            Item={"id": {"S": key}, "status": {"S": "IN_PROGRESS"},
                  "expires_at": {"N": str(lease_ends)}},
            ConditionExpression="attribute_not_exists(id) OR expires_at < :now",
            ExpressionAttributeValues={":now": {"N": str(int(now_s))}},
            ReturnValuesOnConditionCheckFailure="ALL_OLD")
    except ClientError as failed:
        # whatever stopped the write, DynamoDB hands back the record in the way (if any)
        return failed.response.get("Item")
    return None
''',
}

EXPECTED_FAILURES = {
    'test_claim_raises_on_store_errors': 'That claimed nothing',
    'test_store_errors_charge_nothing': 'still called the payment API',
}

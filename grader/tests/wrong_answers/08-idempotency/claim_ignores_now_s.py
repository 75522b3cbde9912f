"""The claim reads the real clock instead of now_s: its lease ends at the wrong time."""

BELIEVED = "Expiry times should come from the real clock; now_s is only informational."
VIOLATES = ["2.6"]

ANSWERS = {
    'claim': '''import time


def claim(dynamodb, key, now_s):
    """Claim ``key`` for this invocation: None if this call got it, else the record in the way."""
    current = int(time.time())
    try:
        dynamodb.put_item(
            TableName=IDEMPOTENCY_TABLE,
            Item={"id": {"S": key}, "status": {"S": "IN_PROGRESS"},
                  "expires_at": {"N": str(current + FUNCTION_TIMEOUT_S)}},
            ConditionExpression="attribute_not_exists(id) OR expires_at < :now",
            ExpressionAttributeValues={":now": {"N": str(current)}},
            ReturnValuesOnConditionCheckFailure="ALL_OLD",
        )
    except ClientError as error:
        if error.response["Error"]["Code"] == "ConditionalCheckFailedException":
            return error.response["Item"]
        raise
    return None
''',
}

EXPECTED_FAILURES = {
    'test_claim_expires_with_the_lease': 'It should expire FUNCTION_TIMEOUT_S',
}

"""A claim that retries throttling itself, whole-second times, a lambda handler."""

ANSWERS = {
    'claim': '''def claim(dynamodb, key, now_s):
    """Claim ``key`` for this invocation: None if this call got it, else the record in the way."""
    import math

    for attempt in range(3):
        try:
            dynamodb.put_item(
                TableName=IDEMPOTENCY_TABLE,
                Item={"id": {"S": key}, "status": {"S": "IN_PROGRESS"},
                      "expires_at": {"N": str(math.ceil(now_s) + FUNCTION_TIMEOUT_S)}},
                ConditionExpression="attribute_not_exists(id) OR expires_at < :now",
                ExpressionAttributeValues={":now": {"N": str(math.floor(now_s))}},
                ReturnValuesOnConditionCheckFailure="ALL_OLD")
            return None
        except ClientError as error:
            code = error.response["Error"]["Code"]
            if code == "ConditionalCheckFailedException":
                return error.response["Item"]
            if code != "ProvisionedThroughputExceededException" or attempt == 2:
                raise
''',
    'make_handler': '''def make_handler(dynamodb, gateway, now):
    """An SQS handler that charges every order of a batch once and reports what failed."""
    def failed(record):
        try:
            charge_once(record, dynamodb, gateway, now)
            return False
        except Exception:
            return True

    return lambda event, context: {"batchItemFailures": [
        {"itemIdentifier": record["messageId"]} for record in event["Records"] if failed(record)]}
''',
}

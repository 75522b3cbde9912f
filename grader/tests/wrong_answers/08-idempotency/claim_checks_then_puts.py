"""The claim reads the record, then writes it: two duplicates can both pass the read."""

BELIEVED = "Reading the record and writing it if there is none is as good as a conditional write."
VIOLATES = ["2.2"]

EDITS = {
    'claim': [
        ('''    try:
        dynamodb.put_item(
            TableName=IDEMPOTENCY_TABLE,
            Item={"id": {"S": key}, "status": {"S": "IN_PROGRESS"},
                  "expires_at": {"N": str(int(now_s) + FUNCTION_TIMEOUT_S)}},
            ConditionExpression="attribute_not_exists(id) OR expires_at < :now",
            ExpressionAttributeValues={":now": {"N": str(int(now_s))}},
            ReturnValuesOnConditionCheckFailure="ALL_OLD",
        )
    except ClientError as error:
        if error.response["Error"]["Code"] != "ConditionalCheckFailedException":
            raise
        return error.response["Item"]
    return None''', '''    found = dynamodb.get_item(TableName=IDEMPOTENCY_TABLE, Key={"id": {"S": key}},
                              ConsistentRead=True).get("Item")
    if found is not None and float(found["expires_at"]["N"]) >= int(now_s):
        return found
    dynamodb.put_item(
        TableName=IDEMPOTENCY_TABLE,
        Item={"id": {"S": key}, "status": {"S": "IN_PROGRESS"},
              "expires_at": {"N": str(int(now_s) + FUNCTION_TIMEOUT_S)}},
    )
    return None'''),
    ],
}

EXPECTED_FAILURES = {
    'test_claim_is_one_conditional_write': 'Reading the record and then writing it is a race',
}

"""Completing updates status and response but keeps the claim's expiry, 30 s after the claim."""

BELIEVED = "Turning the claim into COMPLETED is enough; its expiry can stay as it was."
VIOLATES = ["3.9", "3.10"]

EDITS = {
    'charge_once': [
        ('''    dynamodb.put_item(TableName=IDEMPOTENCY_TABLE, Item={
        "id": {"S": key}, "status": {"S": "COMPLETED"},
        "expires_at": {"N": str(int(now()) + SQS_MAX_RETENTION_S)},
        "response": {"S": json.dumps(receipt)},
    })''', '''    dynamodb.update_item(
        TableName=IDEMPOTENCY_TABLE, Key={"id": {"S": key}},
        UpdateExpression="SET #status = :done, #response = :receipt",
        ExpressionAttributeNames={"#status": "status", "#response": "response"},
        ExpressionAttributeValues={":done": {"S": "COMPLETED"},
                                   ":receipt": {"S": json.dumps(receipt)}})'''),
    ],
}

EXPECTED_FAILURES = {
    'test_duplicates_get_the_stored_response': 'without calling the payment API again',
    'test_late_redrive_is_remembered': 'keep completed records at least that long',
}

"""A failed write of the completed record is ignored: the charge is reported done, unrecorded."""

BELIEVED = "Once the card is charged the order is done; recording it is best effort."
VIOLATES = ["3.11"]

EDITS = {
    'charge_once': [
        ('''    dynamodb.put_item(TableName=IDEMPOTENCY_TABLE, Item={
        "id": {"S": key}, "status": {"S": "COMPLETED"},
        "expires_at": {"N": str(int(now()) + SQS_MAX_RETENTION_S)},
        "response": {"S": json.dumps(receipt)},
    })''', '''    try:
        dynamodb.put_item(TableName=IDEMPOTENCY_TABLE, Item={
            "id": {"S": key}, "status": {"S": "COMPLETED"},
            "expires_at": {"N": str(int(now()) + SQS_MAX_RETENTION_S)},
            "response": {"S": json.dumps(receipt)},
        })
    except Exception as error:  # the charge went through: don't fail the order for this
        print(f"could not record {key} as completed: {error}")'''),
    ],
}

EXPECTED_FAILURES = {
    'test_store_errors_charge_nothing': 'The charge was not recorded as completed',
}

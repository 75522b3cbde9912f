"""The record is marked completed before the charge: a failed charge is never retried."""

BELIEVED = "Marking the order completed first keeps any duplicate from charging it while it is charged."
VIOLATES = ["3.8", "3.9"]

EDITS = {
    'charge_once': [
        ('''    try:
        receipt = gateway.charge(order["order_id"], order["amount_cents"],
                                 idempotency_key=key)
    except Exception:
        dynamodb.delete_item(TableName=IDEMPOTENCY_TABLE, Key={"id": {"S": key}})
        raise
    dynamodb.put_item(TableName=IDEMPOTENCY_TABLE, Item={
        "id": {"S": key}, "status": {"S": "COMPLETED"},
        "expires_at": {"N": str(int(now()) + SQS_MAX_RETENTION_S)},
        "response": {"S": json.dumps(receipt)},
    })
    return receipt''', '''    dynamodb.put_item(TableName=IDEMPOTENCY_TABLE, Item={
        "id": {"S": key}, "status": {"S": "COMPLETED"},
        "expires_at": {"N": str(int(now()) + SQS_MAX_RETENTION_S)},
        "response": {"S": json.dumps({"order_id": order["order_id"]})},
    })
    return gateway.charge(order["order_id"], order["amount_cents"], idempotency_key=key)'''),
    ],
}

EXPECTED_FAILURES = {
    'test_failed_charge_releases_its_claim': 'never mark the order completed before',
    'test_duplicates_get_the_stored_response': 'got different responses',
    'test_late_redrive_is_remembered': 'No record of the table holds the receipt',
}

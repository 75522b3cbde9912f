"""A charge_once of its own whose completed records last 24 hours, as the payment API's keys do."""

BELIEVED = "The store only has to remember keys as long as the payment API does."
VIOLATES = ["3.10"]

ANSWERS = {
    'charge_once': '''def charge_once(record, dynamodb, gateway, now):
    """Charge the record's order exactly once; every copy gets the same receipt."""
    one_day = 24 * 60 * 60  # like the payment API's own idempotency window
    body = json.loads(record["body"])
    key = idempotency_key(record)
    existing = claim(dynamodb, key, now())
    if existing:
        if existing["status"]["S"] != "COMPLETED":
            raise RuntimeError("already being charged")
        return json.loads(existing["response"]["S"])
    try:
        receipt = gateway.charge(body["order_id"], body["amount_cents"], idempotency_key=key)
    except Exception:
        dynamodb.delete_item(TableName=IDEMPOTENCY_TABLE, Key={"id": {"S": key}})
        raise
    record_item = {"id": {"S": key}, "status": {"S": "COMPLETED"},
                   "expires_at": {"N": str(int(now()) + one_day)},
                   "response": {"S": json.dumps(receipt)}}
    dynamodb.put_item(TableName=IDEMPOTENCY_TABLE, Item=record_item)
    return receipt
''',
}

EXPECTED_FAILURES = {
    'test_late_redrive_is_remembered': 'keep completed records at least that long',
}

"""A failed payment call keeps its claim: the retry waits out the lease for nothing."""

BELIEVED = "The lease expires anyway, so a failed charge need not release its claim."
VIOLATES = ["3.8"]

EDITS = {
    'charge_once': [
        ('''    try:
        receipt = gateway.charge(order["order_id"], order["amount_cents"],
                                 idempotency_key=key)
    except Exception:
        dynamodb.delete_item(TableName=IDEMPOTENCY_TABLE, Key={"id": {"S": key}})
        raise''', '''    receipt = gateway.charge(order["order_id"], order["amount_cents"],
                             idempotency_key=key)'''),
    ],
}

EXPECTED_FAILURES = {
    'test_failed_charge_releases_its_claim': 'release the claim',
}

"""A failed payment call releases the claim and returns None instead of raising again."""

BELIEVED = "Releasing the claim is the whole recovery; the error need not go any further."
VIOLATES = ["3.8"]

EDITS = {
    'charge_once': [
        ('''        dynamodb.delete_item(TableName=IDEMPOTENCY_TABLE, Key={"id": {"S": key}})
        raise''', '''        dynamodb.delete_item(TableName=IDEMPOTENCY_TABLE, Key={"id": {"S": key}})
        return None'''),
    ],
}

EXPECTED_FAILURES = {
    'test_failed_charge_releases_its_claim': 'release its claim and raise again',
}

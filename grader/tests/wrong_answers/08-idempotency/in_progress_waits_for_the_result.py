"""A duplicate that finds the order in progress polls the table until the first one completes."""

BELIEVED = "Waiting for the first invocation's result is friendlier than failing the duplicate."
VIOLATES = ["3.6"]

EDITS = {
    'charge_once': [
        ('        raise RuntimeError(f"{key} is being charged by another invocation: try again later")',
         '''        import time
        while found["status"]["S"] != "COMPLETED":
            time.sleep(0.01)
            found = dynamodb.get_item(TableName=IDEMPOTENCY_TABLE, Key={"id": {"S": key}},
                                      ConsistentRead=True)["Item"]
        return json.loads(found["response"]["S"])'''),
    ],
}

EXPECTED_FAILURES = {
    'test_concurrent_duplicate_waits': 'must raise at once, not wait for it',
}

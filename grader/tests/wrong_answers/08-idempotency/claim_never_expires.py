"""The claim's condition ignores expiry: a crashed invocation blocks its order for good."""

BELIEVED = "attribute_not_exists(id) is the whole condition: DynamoDB's TTL will clear a crashed claim."
VIOLATES = ["2.7"]

EDITS = {
    'claim': [
        ('            ConditionExpression="attribute_not_exists(id) OR expires_at < :now",\n'
         '            ExpressionAttributeValues={":now": {"N": str(int(now_s))}},\n',
         '            ConditionExpression="attribute_not_exists(id)",\n'),
    ],
}

EXPECTED_FAILURES = {
    'test_claim_expires_with_the_lease': 'accept an expired record',
    'test_crash_mid_way_charges_once': 'must have expired',
}

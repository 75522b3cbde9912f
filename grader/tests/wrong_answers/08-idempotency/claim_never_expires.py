"""The claim's condition ignores expiry: a crashed invocation blocks its order for good."""

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

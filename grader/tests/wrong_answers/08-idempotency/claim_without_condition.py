"""The claim is a plain put: every duplicate overwrites the record and charges too."""

BELIEVED = "A put_item of the record claims the key: the table keeps one record per key anyway."
VIOLATES = ["2.2"]

EDITS = {
    'claim': [
        ('            ConditionExpression="attribute_not_exists(id) OR expires_at < :now",\n'
         '            ExpressionAttributeValues={":now": {"N": str(int(now_s))}},\n', ''),
    ],
}

EXPECTED_FAILURES = {
    'test_claim_is_conditional': 'attribute_not_exists(id)',
    'test_duplicates_get_the_stored_response': 'without calling the payment API again',
    'test_concurrent_duplicate_waits': "It must find the first one's claim and stop",
}

"""The claim stores its times in milliseconds, as SQS's timestamps are, not in Unix seconds."""

BELIEVED = "SQS counts time in milliseconds, so the store should too."
VIOLATES = ["2.8"]

EDITS = {
    'claim': [
        ('"expires_at": {"N": str(int(now_s) + FUNCTION_TIMEOUT_S)}',
         '"expires_at": {"N": str(int(now_s * 1000) + FUNCTION_TIMEOUT_S * 1000)}'),
        ('ExpressionAttributeValues={":now": {"N": str(int(now_s))}}',
         'ExpressionAttributeValues={":now": {"N": str(int(now_s * 1000))}}'),
    ],
}

EXPECTED_FAILURES = {
    'test_claim_is_conditional': 'in Unix seconds like now_s',
    'test_claim_expires_with_the_lease': 'in Unix seconds like now_s',
}

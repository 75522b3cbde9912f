"""Times are stored as strings: the condition still compares them, but they are no numbers."""

BELIEVED = "Timestamps of the same length compare as text just as well as numbers."
VIOLATES = ["2.8"]

EDITS = {
    'claim': [
        ('"expires_at": {"N": str(int(now_s) + FUNCTION_TIMEOUT_S)}',
         '"expires_at": {"S": str(int(now_s) + FUNCTION_TIMEOUT_S)}'),
        ('ExpressionAttributeValues={":now": {"N": str(int(now_s))}}',
         'ExpressionAttributeValues={":now": {"S": str(int(now_s))}}'),
    ],
}

EXPECTED_FAILURES = {
    'test_claim_is_conditional': "expires_at should be a number",
    'test_claim_expires_with_the_lease': "expires_at should be a number",
}

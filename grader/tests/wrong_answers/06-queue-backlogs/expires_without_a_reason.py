"""Expired messages reach the audit queue, but nothing says why they were expired."""

BELIEVED = "Being in the audit queue says enough about why a message is there."
VIOLATES = ["3.6"]

EDITS = {
    'consume_batch': [('''                                 MessageAttributes={
                                     "OriginalSentTimestamp": original,
                                     "Reason": {"DataType": "String", "StringValue": reason}})''',
                       '''                                 MessageAttributes={"OriginalSentTimestamp": original})''')],
}

EXPECTED_FAILURES = {
    'test_consume_routes_by_age': 'give it a Reason message attribute',
}

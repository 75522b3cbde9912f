"""Expired messages reach the audit queue, but nothing says why they were expired."""

EDITS = {
    'consume_batch': [('''                                 MessageAttributes={
                                     "OriginalSentTimestamp": original,
                                     "Reason": {"DataType": "String", "StringValue": reason}})''',
                       '''                                 MessageAttributes={"OriginalSentTimestamp": original})''')],
}

EXPECTED_FAILURES = {
    'test_consume_routes_by_age': 'with a Reason message attribute',
}

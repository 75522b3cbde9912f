"""OriginalSentTimestamp goes out as a String attribute, not a Number."""

BELIEVED = "SentTimestamp is a string, so its copy is a String attribute."
VIOLATES = ["3.5"]

EDITS = {
    'consume_batch': [('''        original = message.get("MessageAttributes", {}).get("OriginalSentTimestamp") or {
            "DataType": "Number", "StringValue": message["Attributes"]["SentTimestamp"]}''',
                       '''        original = message.get("MessageAttributes", {}).get("OriginalSentTimestamp") or {
            "DataType": "String", "StringValue": message["Attributes"]["SentTimestamp"]}''')],
}

EXPECTED_FAILURES = {
    'test_consume_routes_by_age': 'make it a "Number"',
}

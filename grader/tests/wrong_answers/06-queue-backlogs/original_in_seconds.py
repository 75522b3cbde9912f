"""OriginalSentTimestamp carries the first send in seconds, where SQS uses milliseconds."""

BELIEVED = "Unix times are in seconds everywhere."
VIOLATES = ["3.5"]

EDITS = {
    'consume_batch': [('''        original = message.get("MessageAttributes", {}).get("OriginalSentTimestamp") or {
            "DataType": "Number", "StringValue": message["Attributes"]["SentTimestamp"]}''',
                       '''        original = {"DataType": "Number", "StringValue": str(now() - age_s)}''')],
}

EXPECTED_FAILURES = {
    'test_consume_routes_by_age': 'in milliseconds',
}

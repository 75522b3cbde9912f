"""OriginalSentTimestamp is set to now(): the time of the move, not of the first send."""

BELIEVED = "OriginalSentTimestamp records when the message was moved."
VIOLATES = ["3.5"]

EDITS = {
    'consume_batch': [('''        original = message.get("MessageAttributes", {}).get("OriginalSentTimestamp") or {
            "DataType": "Number", "StringValue": message["Attributes"]["SentTimestamp"]}''',
                       '''        original = {"DataType": "Number", "StringValue": str(int(now() * 1000))}''')],
}

EXPECTED_FAILURES = {
    'test_consume_routes_by_age': 'its first send was at',
}

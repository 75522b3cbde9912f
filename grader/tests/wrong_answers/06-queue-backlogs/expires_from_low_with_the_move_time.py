"""A stale message expired from the low queue carries its move time as OriginalSentTimestamp."""

BELIEVED = "A message's own SentTimestamp is its original send time."
VIOLATES = ["3.6"]

EDITS = {
    'consume_batch': [('''        original = message.get("MessageAttributes", {}).get("OriginalSentTimestamp") or {
            "DataType": "Number", "StringValue": message["Attributes"]["SentTimestamp"]}''',
                       '''        original = {"DataType": "Number", "StringValue": message["Attributes"]["SentTimestamp"]}''')],
}

EXPECTED_FAILURES = {
    'test_low_priority_served_when_main_is_empty': 'its first send was at',
    'test_moved_messages_keep_their_age': 'its first send was at',
}

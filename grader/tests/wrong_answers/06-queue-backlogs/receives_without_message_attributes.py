"""receive_message asks for SentTimestamp but not for message attributes, so a moved
message's OriginalSentTimestamp never arrives."""

BELIEVED = "SQS returns every attribute a message carries without being asked."
VIOLATES = ["3.1", "3.4"]

EDITS = {
    'consume_batch': [('MessageSystemAttributeNames=["SentTimestamp"], MessageAttributeNames=["All"],',
                       'MessageSystemAttributeNames=["SentTimestamp"],')],
}

EXPECTED_FAILURES = {
    'test_low_priority_served_when_main_is_empty': 'should be expired',
}

"""A message's age is taken from SentTimestamp alone, which restarts when it is moved."""

BELIEVED = "SentTimestamp is when the message was first sent, wherever it has been since."
VIOLATES = ["1.2"]

EDITS = {
    'message_age_s': [('int(original["StringValue"] if original else message["Attributes"]["SentTimestamp"])',
                       'int(message["Attributes"]["SentTimestamp"])')],
}

EXPECTED_FAILURES = {
    'test_message_age': 'read OriginalSentTimestamp',
    'test_moved_messages_keep_their_age': 'not from its move',
}

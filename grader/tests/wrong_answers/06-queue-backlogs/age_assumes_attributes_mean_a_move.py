"""Any message attributes are taken to mean a moved message, so OriginalSentTimestamp is
read from a message that carries only other attributes."""

BELIEVED = "Only moved messages carry message attributes."
VIOLATES = ["1.2"]

ANSWERS = {
    'message_age_s': '''
def message_age_s(message, now_s):
    """Seconds since the message was first sent, wherever it has been moved since."""
    attrs = message.get("MessageAttributes")
    if attrs:
        sent = attrs["OriginalSentTimestamp"]["StringValue"]
    else:
        sent = message["Attributes"]["SentTimestamp"]
    return now_s - float(sent) / 1000.0
''',
}

EXPECTED_FAILURES = {
    'test_message_age': 'The smallest input that fails it',
}

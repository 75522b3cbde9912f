"""The age is a timedelta's .seconds: whole seconds, and the days dropped."""

BELIEVED = "timedelta.seconds is the whole duration in seconds."
VIOLATES = ["1.1"]

ANSWERS = {
    'message_age_s': '''
from datetime import datetime, timezone


def message_age_s(message, now_s):
    """Seconds since the message was first sent, wherever it has been moved since."""
    stamp = (message.get("MessageAttributes", {}).get("OriginalSentTimestamp", {}).get("StringValue")
             or message["Attributes"]["SentTimestamp"])
    sent = datetime.fromtimestamp(int(stamp) / 1000, tz=timezone.utc)
    now = datetime.fromtimestamp(now_s, tz=timezone.utc)
    return (now - sent).seconds
''',
}

EXPECTED_FAILURES = {
    'test_message_age': 'Keep the milliseconds',
}

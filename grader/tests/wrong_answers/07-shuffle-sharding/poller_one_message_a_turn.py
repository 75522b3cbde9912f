"""The poller receives without MaxNumberOfMessages, so SQS hands it one message a turn."""

BELIEVED = "A receive returns every message that is waiting, up to 10."
VIOLATES = ["4.1"]

EDITS = {
    'make_poller': [('sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)', 'sqs.receive_message(QueueUrl=url)')],
}

EXPECTED_FAILURES = {
    'test_poller_is_fair': 'Ask for 10',
}

"""receive_message is called without MaxNumberOfMessages, so each pass gets one message."""

BELIEVED = "receive_message returns every message the queue has."
VIOLATES = ["3.1"]

EDITS = {
    'consume_batch': [('            QueueUrl=queues[name], MaxNumberOfMessages=10,',
                       '            QueueUrl=queues[name],')],
}

EXPECTED_FAILURES = {
    'test_low_priority_served_when_main_is_empty': 'MaxNumberOfMessages=10',
}

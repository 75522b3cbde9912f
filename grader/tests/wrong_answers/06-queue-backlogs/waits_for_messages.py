"""Each receive long-polls for 20 s, so a pass on an empty main queue waits before it
turns to the low queue."""

BELIEVED = "Long polling is always the better way to receive from SQS."
VIOLATES = ["3.1"]

EDITS = {
    'consume_batch': [('QueueUrl=queues[name], MaxNumberOfMessages=10,',
                       'QueueUrl=queues[name], MaxNumberOfMessages=10, WaitTimeSeconds=20,')],
}

EXPECTED_FAILURES = {
    'test_low_priority_served_when_main_is_empty': 'WaitTimeSeconds=20',
}

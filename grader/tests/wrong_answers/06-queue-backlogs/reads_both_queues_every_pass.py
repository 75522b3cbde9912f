"""Each pass receives from both queues and handles all it got, low queue included."""

BELIEVED = "Reading both queues every pass is fairer, and the triage still favours fresh work."
VIOLATES = ["3.2"]

EDITS = {
    'consume_batch': [('''    for name in ("main", "low"):
        messages = sqs.receive_message(
            QueueUrl=queues[name], MaxNumberOfMessages=10,
            MessageSystemAttributeNames=["SentTimestamp"], MessageAttributeNames=["All"],
        ).get("Messages", [])
        if messages:
            break
    else:
        return 0
    for message in messages:''', '''    received = []
    for name in ("main", "low"):
        received += [(name, m) for m in sqs.receive_message(
            QueueUrl=queues[name], MaxNumberOfMessages=10,
            MessageSystemAttributeNames=["SentTimestamp"], MessageAttributeNames=["All"],
        ).get("Messages", [])]
    messages = [m for _, m in received]
    for name, message in received:''')],
}

EXPECTED_FAILURES = {
    'test_low_priority_served_when_main_is_empty': 'also received from the low queue',
}

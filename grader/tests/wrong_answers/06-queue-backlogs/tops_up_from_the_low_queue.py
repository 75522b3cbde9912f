"""When the main queue gives fewer than ten messages, the pass tops the batch up from the low
queue."""

BELIEVED = "A pass should always work on a full batch of ten if there is work anywhere."
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
            QueueUrl=queues[name], MaxNumberOfMessages=10 - len(received),
            MessageSystemAttributeNames=["SentTimestamp"], MessageAttributeNames=["All"],
        ).get("Messages", [])]
        if len(received) == 10:
            break
    if not received:
        return 0
    messages = [m for _, m in received]
    for name, message in received:''')],
}

EXPECTED_FAILURES = {
    'test_consume_routes_by_age': 'it should not have',
}

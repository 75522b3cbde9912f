"""When none of the main queue's messages is fresh, the pass also takes a batch from the low
queue."""

BELIEVED = "If the main queue has nothing to serve now, the consumer is free for old work."
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
        got = sqs.receive_message(
            QueueUrl=queues[name], MaxNumberOfMessages=10,
            MessageSystemAttributeNames=["SentTimestamp"], MessageAttributeNames=["All"],
        ).get("Messages", [])
        received += [(name, m) for m in got]
        if any(triage(message_age_s(m, now()), fresh_s, expire_s) == "serve" for m in got):
            break
    if not received:
        return 0
    messages = [m for _, m in received]
    for name, message in received:''')],
}

EXPECTED_FAILURES = {
    'test_failed_moves_lose_nothing': 'it should not have',
}

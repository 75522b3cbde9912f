"""enqueue asks SQS about every queue and keeps the last shortest on a tie; the poller long-polls and sets its own visibility timeout."""

ANSWERS = {
    'enqueue': '''def enqueue(sqs, queue_urls, tenant_id, body, shard_size):
    def waiting(url):
        attributes = sqs.get_queue_attributes(
            QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages"])["Attributes"]
        return int(attributes["ApproximateNumberOfMessages"])

    depth = {q: waiting(url) for q, url in enumerate(queue_urls)}  # every queue, fresh
    best = None
    for q in shuffle_shard(tenant_id, len(queue_urls), shard_size):
        if best is None or depth[q] <= depth[best]:
            best = q
    sqs.send_message(QueueUrl=queue_urls[best], MessageBody=body)
    return best
''',
    'make_poller': '''def make_poller(sqs, queue_urls, handle):
    position = [0]

    def receive(url):
        reply = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=2,
                                    VisibilityTimeout=60)
        return reply.get("Messages", [])

    def handled(message):
        try:
            handle(message["Body"])
            return True
        except Exception as error:  # noqa: BLE001
            print("leaving it for SQS to deliver again:", repr(error))
            return False

    def poll():
        url = queue_urls[position[0]]
        position[0] = (position[0] + 1) % len(queue_urls)
        messages = receive(url)
        for message in messages:
            if handled(message):
                sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
        return len(messages)

    return poll
''',
}

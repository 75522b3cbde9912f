"""Queue depth is a count of this code's own sends, which misses everyone else's."""

BELIEVED = "Counting its own sends is as good as asking SQS how deep each queue is."
VIOLATES = ["3.2", "3.3"]

EDITS = {
    'enqueue': [('''    def depth(queue):
        attributes = sqs.get_queue_attributes(
            QueueUrl=queue_urls[queue], AttributeNames=["ApproximateNumberOfMessages"])
        return int(attributes["Attributes"]["ApproximateNumberOfMessages"])

    queue = min(shuffle_shard(tenant_id, len(queue_urls), shard_size), key=depth)
    sqs.send_message(QueueUrl=queue_urls[queue], MessageBody=body)
    return queue''', '''    sent = enqueue.__dict__.setdefault("sent", {})
    queue = min(shuffle_shard(tenant_id, len(queue_urls), shard_size),
                key=lambda q: sent.get(queue_urls[q], 0))
    sqs.send_message(QueueUrl=queue_urls[queue], MessageBody=body)
    sent[queue_urls[queue]] = sent.get(queue_urls[queue], 0) + 1
    return queue''')],
}

EXPECTED_FAILURES = {
    'test_enqueue_picks_shortest': 'Send to the shortest queue of the shard',
    'test_enqueue_reads_depth_from_sqs': 'sees only your own sends',
}

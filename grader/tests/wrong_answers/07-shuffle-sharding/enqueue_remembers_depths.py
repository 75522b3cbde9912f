"""Each queue's depth is asked once and remembered, so later sends go by stale numbers."""

BELIEVED = "Asking SQS once per queue is enough: the depths do not change much."
VIOLATES = ["3.2"]

ANSWERS = {
    'enqueue': '''def enqueue(sqs, queue_urls, tenant_id, body, shard_size, _known_depths={}):
    candidates = shuffle_shard(tenant_id, len(queue_urls), shard_size)
    for q in candidates:
        if queue_urls[q] not in _known_depths:
            reply = sqs.get_queue_attributes(QueueUrl=queue_urls[q],
                                             AttributeNames=["ApproximateNumberOfMessages"])
            _known_depths[queue_urls[q]] = int(reply["Attributes"]["ApproximateNumberOfMessages"])
    best = candidates[0]
    for q in candidates[1:]:
        if _known_depths[queue_urls[q]] < _known_depths[queue_urls[best]]:
            best = q
    sqs.send_message(QueueUrl=queue_urls[best], MessageBody=body)
    _known_depths[queue_urls[best]] += 1
    return best
''',
}

EXPECTED_FAILURES = {
    'test_enqueue_reads_depth_from_sqs': 'read once',
}

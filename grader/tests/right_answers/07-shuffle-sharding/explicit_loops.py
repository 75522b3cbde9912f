"""Explicit loops throughout: a shuffle by repeated hashing that draws again on a repeat, the shortest queue found by hand, and a poller that counts as it goes."""

ANSWERS = {
    'shuffle_shard': '''def shuffle_shard(tenant_id, nodes, shard_size):
    chosen = []
    attempt = 0
    while len(chosen) < shard_size:
        digest = hashlib.sha256((tenant_id + "#" + str(attempt)).encode()).hexdigest()
        candidate = int(digest, 16) % nodes
        if candidate not in chosen:
            chosen.append(candidate)
        attempt += 1
    return chosen
''',
    'enqueue': '''def enqueue(sqs, queue_urls, tenant_id, body, shard_size):
    shard = shuffle_shard(tenant_id, len(queue_urls), shard_size)
    best_queue, best_depth = None, None
    for queue in shard:
        response = sqs.get_queue_attributes(QueueUrl=queue_urls[queue],
                                            AttributeNames=["ApproximateNumberOfMessages"])
        depth = int(response["Attributes"]["ApproximateNumberOfMessages"])
        if best_depth is None or depth < best_depth:
            best_queue, best_depth = queue, depth
    sqs.send_message(QueueUrl=queue_urls[best_queue], MessageBody=body)
    return best_queue
''',
    'make_poller': '''def make_poller(sqs, queue_urls, handle):
    state = {"turn": 0}

    def poll():
        index = state["turn"] % len(queue_urls)
        state["turn"] += 1
        response = sqs.receive_message(QueueUrl=queue_urls[index], MaxNumberOfMessages=10)
        received = 0
        for message in response.get("Messages", []):
            received += 1
            ok = True
            try:
                handle(message["Body"])
            except Exception:
                ok = False
            if ok:
                sqs.delete_message(QueueUrl=queue_urls[index],
                                   ReceiptHandle=message["ReceiptHandle"])
        return received

    return poll
''',
}

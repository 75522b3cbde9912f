"""Rendezvous hashing (the K best scores) for the shard, and a poller object that deletes its handled messages in one batch call, with logging."""

ANSWERS = {
    'shuffle_shard': '''def shuffle_shard(tenant_id, nodes, shard_size):
    """Score every queue by a hash of the tenant and the queue; keep the highest scores."""
    def score(queue):
        return hashlib.sha256(f"{tenant_id}:{queue}".encode("utf-8")).digest()

    ranked = sorted(range(nodes), key=score, reverse=True)
    return sorted(ranked[:shard_size])
''',
    'make_poller': '''import logging


def make_poller(sqs, queue_urls, handle):
    log = logging.getLogger("poller")

    class RoundRobinPoller:
        """Serves queue 0, 1, ..., N - 1, 0, ... one per call."""

        def __init__(self):
            self.calls = 0

        def __call__(self):
            url = queue_urls[self.calls % len(queue_urls)]
            self.calls += 1
            messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get(
                "Messages", [])
            done = []
            for message in messages:
                try:
                    handle(message["Body"])
                except Exception as error:
                    log.warning("message %s failed: %s", message["MessageId"], error)
                    continue
                done.append({"Id": str(len(done)), "ReceiptHandle": message["ReceiptHandle"]})
            if done:
                sqs.delete_message_batch(QueueUrl=url, Entries=done)
            print(f"polled {url}: {len(messages)} received, {len(done)} handled")
            return len(messages)

    return RoundRobinPoller()
''',
}

"""The hash's rank among all C(N, K) shards, unranked into the shard; the overlap from log-gamma; the poller's turns from itertools.cycle."""

ANSWERS = {
    'shuffle_shard': '''def shuffle_shard(tenant_id, nodes, shard_size):
    digest = hashlib.blake2b(tenant_id.encode("utf-8"), digest_size=64).digest()
    rank = int.from_bytes(digest, "little") % math.comb(nodes, shard_size)
    shard, queue = [], 0
    for left in range(shard_size, 0, -1):
        # skip the shards that start with this queue while the rank is beyond them
        while rank >= math.comb(nodes - queue - 1, left - 1):
            rank -= math.comb(nodes - queue - 1, left - 1)
            queue += 1
        shard.append(queue)
        queue += 1
    return shard
''',
    'overlap_distribution': '''def overlap_distribution(nodes, shard_size):
    def log_choose(n, k):
        return math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)

    result = []
    for k in range(shard_size + 1):
        rest = shard_size - k
        if rest > nodes - shard_size:
            result.append(0.0)  # not enough queues outside the first shard
            continue
        result.append(math.exp(log_choose(shard_size, k) + log_choose(nodes - shard_size, rest)
                               - log_choose(nodes, shard_size)))
    return result
''',
    'make_poller': '''import itertools


def make_poller(sqs, queue_urls, handle):
    turns = itertools.cycle(queue_urls)

    def poll():
        url = next(turns)
        batch = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10,
                                    WaitTimeSeconds=0).get("Messages", [])
        for message in batch:
            try:
                handle(message["Body"])
            except Exception:  # SQS delivers it again after its visibility timeout
                pass
            else:
                sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
        return len(batch)

    return poll
''',
}

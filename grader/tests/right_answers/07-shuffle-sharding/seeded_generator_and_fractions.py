"""A generator seeded with the tenant id's string (random hashes a str seed with SHA-512), exact fractions for the overlap, and depths sorted with the queue number as tie-break."""

ANSWERS = {
    'shuffle_shard': '''import random


def shuffle_shard(tenant_id, nodes, shard_size):
    # random.Random(str) seeds from a SHA-512 of the string: the same in every process.
    return random.Random(tenant_id).sample(range(nodes), shard_size)
''',
    'overlap_distribution': '''from fractions import Fraction


def overlap_distribution(nodes, shard_size):
    total = math.comb(nodes, shard_size)
    exact = [Fraction(math.comb(shard_size, k) * math.comb(nodes - shard_size, shard_size - k),
                      total) for k in range(shard_size + 1)]
    return [float(p) for p in exact]
''',
    'enqueue': '''def enqueue(sqs, queue_urls, tenant_id, body, shard_size):
    shard = shuffle_shard(tenant_id, len(queue_urls), shard_size)
    depths = []
    for q in shard:
        reply = sqs.get_queue_attributes(QueueUrl=queue_urls[q],
                                         AttributeNames=["ApproximateNumberOfMessages"])
        depths.append((int(reply["Attributes"]["ApproximateNumberOfMessages"]), q))
    depths.sort()
    target = depths[0][1]
    sqs.send_message(QueueUrl=queue_urls[target], MessageBody=body)
    print(f"{tenant_id} -> queue {target} (depths {depths})")
    return target
''',
}

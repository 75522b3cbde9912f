"""Queues a fixed stride apart from a hashed start: even for K = 2, most shards never used."""

BELIEVED = ("A start queue and a step, both from the hash, give every tenant a different "
            "spread of queues.")
VIOLATES = ["1.3"]

ANSWERS = {
    "shuffle_shard": '''\
def shuffle_shard(tenant_id, nodes, shard_size):
    """A start queue and a stride, both from the hash: queues start, start+step, ..."""
    number = int.from_bytes(hashlib.sha256(tenant_id.encode()).digest(), "big")
    start = number % nodes
    number //= nodes
    step = 1 + number % max(nodes - 1, 1)
    shard, queue = [], start
    while len(shard) < shard_size:
        if queue in shard:
            queue = (queue + 1) % nodes
            continue
        shard.append(queue)
        queue = (queue + step) % nodes
    return shard
''',
}

EXPECTED_FAILURES = {
    "test_shards_spread_evenly": "so do queues a fixed stride apart",
}

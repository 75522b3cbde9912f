"""The shard is a hashed start and a hashed step between queues: few of the possible shards, and repeats."""

BELIEVED = "A random start and a random stride reach every combination of queues."
VIOLATES = ["1.1", "1.3"]

ANSWERS = {
    'shuffle_shard': '''def shuffle_shard(tenant_id, nodes, shard_size):
    digest = hashlib.sha256(tenant_id.encode()).hexdigest()
    start = int(digest[:16], 16) % nodes
    stride = 1 + int(digest[16:32], 16) % max(nodes - 1, 1)
    return [(start + i * stride) % nodes for i in range(shard_size)]
''',
}

EXPECTED_FAILURES = {
    'test_shards_spread_evenly': 'different queue',
}

"""The shard is K neighbouring queues after a hashed start: only N shards of the C(N, K)."""

BELIEVED = "K neighbouring queues after a hashed start spread tenants as well as any K queues."
VIOLATES = ["1.3", "5.1"]

EDITS = {
    'shuffle_shard': [('''    queues, shard = list(range(nodes)), []
    for _ in range(shard_size):  # the first steps of a shuffle, driven by the hash
        number, pick = divmod(number, len(queues))
        shard.append(queues.pop(pick))
    return shard''', '''    start = number % nodes
    return [(start + step) % nodes for step in range(shard_size)]''')],
}

EXPECTED_FAILURES = {
    'test_shards_spread_evenly': 'neighbouring queues, for instance, make only',
    'test_hot_tenant_is_isolated': 'Too many tenants share the same shard',
}

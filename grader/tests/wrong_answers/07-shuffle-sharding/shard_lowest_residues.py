"""The shard is the K smallest of the digest's bytes modulo N: the low queues take nearly every tenant."""

BELIEVED = "Any K distinct values taken from the hash make an evenly spread shard."
VIOLATES = ["1.3"]

EDITS = {
    'shuffle_shard': [('''    number = int.from_bytes(hashlib.sha256(tenant_id.encode("utf-8")).digest(), "big")
    queues, shard = list(range(nodes)), []
    for _ in range(shard_size):  # the first steps of a shuffle, driven by the hash
        number, pick = divmod(number, len(queues))
        shard.append(queues.pop(pick))
    return shard''', '''    digest = hashlib.sha256(tenant_id.encode("utf-8")).digest()
    return sorted({byte % nodes for byte in digest})[:shard_size]''')],
}

EXPECTED_FAILURES = {
    'test_shards_spread_evenly': 'possible shards',
}

"""Each queue is one byte of the digest modulo N: low queues are favoured when N does not divide 256."""

BELIEVED = "One byte of the digest modulo N picks every queue equally often."
VIOLATES = ["1.3"]

EDITS = {
    'shuffle_shard': [('''    number = int.from_bytes(hashlib.sha256(tenant_id.encode("utf-8")).digest(), "big")
    queues, shard = list(range(nodes)), []
    for _ in range(shard_size):  # the first steps of a shuffle, driven by the hash
        number, pick = divmod(number, len(queues))
        shard.append(queues.pop(pick))
    return shard''', '''    shard = []
    for byte in hashlib.sha256(tenant_id.encode("utf-8")).digest():
        if byte % nodes not in shard:
            shard.append(byte % nodes)
        if len(shard) == shard_size:
            return shard''')],
}

EXPECTED_FAILURES = {
    'test_shards_spread_evenly': 'favours the low queues',
}

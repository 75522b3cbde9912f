"""Each queue is drawn from the hash, and one already taken is replaced by the next queue: shards of neighbours come up too often."""

BELIEVED = "Moving a repeated queue on to the next free one keeps every shard equally likely."
VIOLATES = ["1.3"]

EDITS = {
    'shuffle_shard': [('''    queues, shard = list(range(nodes)), []
    for _ in range(shard_size):  # the first steps of a shuffle, driven by the hash
        number, pick = divmod(number, len(queues))
        shard.append(queues.pop(pick))
    return shard''', '''    shard = []
    for _ in range(shard_size):
        number, pick = divmod(number, nodes)
        while pick in shard:
            pick = (pick + 1) % nodes
        shard.append(pick)
    return shard''')],
}

EXPECTED_FAILURES = {
    'test_shards_spread_evenly': 'come up far more often than others',
}

"""A full Fisher-Yates shuffle driven by a stream of SHA-256 blocks, the overlap as a product of ratios, and a poller whose turn counter lives in a closure list."""

ANSWERS = {
    'shuffle_shard': '''def shuffle_shard(tenant_id, nodes, shard_size):
    def random_below(n, counter=[0]):
        counter[0] += 1
        block = hashlib.sha256(f"{counter[0]}|{tenant_id}".encode()).digest()
        return int.from_bytes(block, "big") % n

    def fresh_counter():
        counter = [0]

        def below(n):
            counter[0] += 1
            block = hashlib.sha256(f"{counter[0]}|{tenant_id}".encode()).digest()
            return int.from_bytes(block, "big") % n
        return below

    below = fresh_counter()
    deck = list(range(nodes))
    for i in range(nodes - 1, 0, -1):
        j = below(i + 1)
        deck[i], deck[j] = deck[j], deck[i]
    return [int(q) for q in deck[:shard_size]]
''',
    'overlap_distribution': '''def overlap_distribution(nodes, shard_size):
    def choose(n, k):
        if k < 0 or k > n:
            return 0
        value = 1
        for i in range(k):
            value = value * (n - i) // (i + 1)
        return value

    total = choose(nodes, shard_size)
    return [choose(shard_size, k) * choose(nodes - shard_size, shard_size - k) / total
            for k in range(shard_size + 1)]
''',
}

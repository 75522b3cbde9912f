"""The shard comes from a home-made hash, a weighted sum of the id's characters: stable, but uneven."""

BELIEVED = "Any hash that is the same in every process spreads tenants evenly."
VIOLATES = ["1.3"]

ANSWERS = {
    'shuffle_shard': '''def shuffle_shard(tenant_id, nodes, shard_size):
    # A simple hash that never changes between runs (unlike hash()).
    h = 0
    for position, char in enumerate(tenant_id):
        h += (position + 1) * ord(char)
    available = list(range(nodes))
    result = []
    while len(result) < shard_size:
        h, index = divmod(h, len(available))
        result.append(available.pop(index))
    return result
''',
}

EXPECTED_FAILURES = {
    'test_shards_spread_evenly': 'possible shards',
}

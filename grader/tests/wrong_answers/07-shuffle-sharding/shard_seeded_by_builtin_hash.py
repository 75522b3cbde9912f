"""The shard is drawn by random.Random seeded with hash(tenant_id): stable in one process only."""

BELIEVED = "Seeding a generator with hash() makes its draws the same on every run."
VIOLATES = ["1.2"]

ANSWERS = {
    'shuffle_shard': '''import random


def shuffle_shard(tenant_id, nodes, shard_size):
    """Seed a private generator with the tenant, then sample without replacement."""
    generator = random.Random(hash(tenant_id))
    return generator.sample(range(nodes), shard_size)
''',
}

EXPECTED_FAILURES = {
    'test_stable_across_processes': "Python's hash() of a string changes",
}

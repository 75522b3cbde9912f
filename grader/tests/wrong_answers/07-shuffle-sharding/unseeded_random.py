"""The shard is drawn with fresh randomness on every call: a tenant's messages scatter."""

BELIEVED = "A random shard is as good as a hashed one: any shard spreads the load."
VIOLATES = ["1.2"]

EDITS = {
    'shuffle_shard': [('''    number = int.from_bytes(hashlib.sha256(tenant_id.encode("utf-8")).digest(), "big")
''', '''    import random
    number = random.getrandbits(256)
''')],
}

EXPECTED_FAILURES = {
    'test_shard_is_valid': 'the same shard every time',
    'test_stable_across_processes': 'a different shard',
}

"""Only the first four bytes of the digest drive the shuffle: big shards run out of randomness and favour the low queues."""

BELIEVED = "Four bytes of a hash are random enough to pick any shard."
VIOLATES = ["1.3"]

EDITS = {
    'shuffle_shard': [('hashlib.sha256(tenant_id.encode("utf-8")).digest(), "big")',
                       'hashlib.sha256(tenant_id.encode("utf-8")).digest()[:4], "big")')],
}

EXPECTED_FAILURES = {
    'test_shards_spread_evenly': 'loaded the queues unevenly',
}

"""The shard is seeded with Python's hash() of the id, which is salted afresh in every process."""

BELIEVED = "Python's hash() of a string is the same in every process."
VIOLATES = ["1.2"]

EDITS = {
    'shuffle_shard': [('int.from_bytes(hashlib.sha256(tenant_id.encode("utf-8")).digest(), "big")',
                       'abs(hash(tenant_id))')],
}

EXPECTED_FAILURES = {
    'test_stable_across_processes': "Python's hash() of a string changes",
}

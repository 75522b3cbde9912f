"""The id is encoded as ASCII, so a tenant named with an accent gets no shard at all."""

BELIEVED = "Tenant ids are plain ASCII."
VIOLATES = ["1.1"]

EDITS = {
    'shuffle_shard': [('tenant_id.encode("utf-8")', 'tenant_id.encode("ascii")')],
}

EXPECTED_FAILURES = {
    'test_shard_is_valid': 'UnicodeEncodeError',
}

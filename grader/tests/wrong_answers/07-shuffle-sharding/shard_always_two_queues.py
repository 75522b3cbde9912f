"""The shard is always two queues, whatever shard_size asks for."""

BELIEVED = "A shard is a pair of queues, as in the talk's 8 and 2."
VIOLATES = ["1.1"]

EDITS = {
    'shuffle_shard': [('for _ in range(shard_size):  # the first steps of a shuffle, driven by the hash',
                       'for _ in range(2):  # the first steps of a shuffle, driven by the hash')],
}

EXPECTED_FAILURES = {
    'test_shard_is_valid': 'The smallest input that fails it',
    'test_shards_spread_evenly': 'different queue',
}

"""Queues are numbered from 1 to N, as people count them."""

BELIEVED = "Queue numbers run from 1 to N."
VIOLATES = ["1.1"]

EDITS = {
    'shuffle_shard': [('        shard.append(queues.pop(pick))', '        shard.append(queues.pop(pick) + 1)')],
}

EXPECTED_FAILURES = {
    'test_shard_is_valid': 'queue numbers run from 0',
}

"""Each queue is drawn from the hash independently, so a shard can name the same queue twice."""

BELIEVED = "Each queue of a shard can be drawn from the hash on its own, repeats and all."
VIOLATES = ["1.1"]

EDITS = {
    'shuffle_shard': [('''        number, pick = divmod(number, len(queues))
        shard.append(queues.pop(pick))''', '''        number, pick = divmod(number, nodes)
        shard.append(pick)''')],
}

EXPECTED_FAILURES = {
    'test_shard_is_valid': 'different queue',
}

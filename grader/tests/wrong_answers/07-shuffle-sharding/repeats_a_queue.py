"""Each queue is drawn from the hash independently, so a shard can name the same queue twice."""

EDITS = {
    'shuffle_shard': [('''        number, pick = divmod(number, len(queues))
        shard.append(queues.pop(pick))''', '''        number, pick = divmod(number, nodes)
        shard.append(pick)''')],
}

EXPECTED_FAILURES = {
    'test_shard_is_valid': 'different queues',
}

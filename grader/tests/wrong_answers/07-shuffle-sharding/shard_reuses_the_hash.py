"""Every pick takes the same hash modulo the queues left, without dividing it: the picks are tied together."""

BELIEVED = "The hash modulo the number of queues left is a fresh random index at every step."
VIOLATES = ["1.3"]

EDITS = {
    'shuffle_shard': [('        number, pick = divmod(number, len(queues))\n',
                       '        pick = number % len(queues)\n')],
}

EXPECTED_FAILURES = {
    'test_shards_spread_evenly': 'possible shards',
}

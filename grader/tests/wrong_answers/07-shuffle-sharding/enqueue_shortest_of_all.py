"""Messages go to the shortest of all N queues: the hot tenant spreads over everyone's."""

BELIEVED = "The shortest queue of all is better than the shortest of the shard."
VIOLATES = ["3.1"]

EDITS = {
    'enqueue': [('queue = min(shuffle_shard(tenant_id, len(queue_urls), shard_size), key=depth)',
                 'queue = min(range(len(queue_urls)), key=depth)')],
}

EXPECTED_FAILURES = {
    'test_enqueue_picks_shortest': 'only ever use its own shard',
    'test_hot_tenant_is_isolated': 'keep each tenant\'s messages inside its own shard',
}

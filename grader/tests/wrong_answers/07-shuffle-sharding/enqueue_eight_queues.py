"""enqueue finds the shard among 8 queues, however many queue_urls it is given."""

BELIEVED = "There are always the lab's 8 queues."
VIOLATES = ["3.1"]

EDITS = {
    'enqueue': [('shuffle_shard(tenant_id, len(queue_urls), shard_size)', 'shuffle_shard(tenant_id, 8, shard_size)')],
}

EXPECTED_FAILURES = {
    'test_enqueue_picks_shortest': 'IndexError',
}

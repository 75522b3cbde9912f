"""enqueue asks for a shard of 2 whatever shard_size says."""

BELIEVED = "Shards are always the lab's 2 queues."
VIOLATES = ["3.1"]

EDITS = {
    'enqueue': [('shuffle_shard(tenant_id, len(queue_urls), shard_size)', 'shuffle_shard(tenant_id, len(queue_urls), 2)')],
}

EXPECTED_FAILURES = {
    'test_enqueue_picks_shortest': 'must only ever use its own shard',
}

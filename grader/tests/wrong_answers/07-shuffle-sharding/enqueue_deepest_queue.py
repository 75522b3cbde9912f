"""Messages go to the deepest queue of the shard, where the tenant's work already waits."""

BELIEVED = "A tenant's messages belong together, in the queue that already holds the most."
VIOLATES = ["3.3"]

EDITS = {
    'enqueue': [('queue = min(shuffle_shard(tenant_id, len(queue_urls), shard_size), key=depth)',
                 'queue = max(shuffle_shard(tenant_id, len(queue_urls), shard_size), key=depth)')],
}

EXPECTED_FAILURES = {
    'test_enqueue_picks_shortest': 'Send to the shortest queue of the shard',
    'test_enqueue_reads_depth_from_sqs': 'missed the shortest',
}

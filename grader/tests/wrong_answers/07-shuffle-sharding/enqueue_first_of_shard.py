"""Every message goes to the first queue of the shard, however deep it is."""

BELIEVED = "Any queue of the shard will do, so the first one is as good as the shortest."
VIOLATES = ["3.2", "3.3"]

EDITS = {
    'enqueue': [('queue = min(shuffle_shard(tenant_id, len(queue_urls), shard_size), key=depth)',
                 'queue = shuffle_shard(tenant_id, len(queue_urls), shard_size)[0]')],
}

EXPECTED_FAILURES = {
    'test_enqueue_picks_shortest': 'Send to the shortest queue of the shard',
    'test_enqueue_reads_depth_from_sqs': 'missed the shortest',
}

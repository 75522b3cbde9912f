"""Every message goes to the first queue of the shard, however deep it is."""

EDITS = {
    'enqueue': [('queue = min(shuffle_shard(tenant_id, len(queue_urls), shard_size), key=depth)',
                 'queue = shuffle_shard(tenant_id, len(queue_urls), shard_size)[0]')],
}

EXPECTED_FAILURES = {
    'test_enqueue_picks_shortest': 'Send to the shortest queue of the shard',
    'test_enqueue_reads_depth_from_sqs': 'picked the deeper one',
}

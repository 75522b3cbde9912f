"""enqueue returns the URL of the queue it sent to, not its number."""

BELIEVED = "The queue's URL identifies it better than a number."
VIOLATES = ["3.3"]

EDITS = {
    'enqueue': [('    return queue\n', '    return queue_urls[queue]\n')],
}

EXPECTED_FAILURES = {
    'test_enqueue_picks_shortest': 'should return the number of the queue',
}

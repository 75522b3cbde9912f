"""enqueue sends the body JSON-encoded again, so the consumer gets a quoted string, not the message."""

BELIEVED = "A message body must be JSON-encoded before it is sent."
VIOLATES = ["3.3"]

EDITS = {
    'enqueue': [('MessageBody=body)', 'MessageBody=json.dumps(body))'), ('    def depth(queue):', '    import json\n\n    def depth(queue):')],
}

EXPECTED_FAILURES = {
    'test_enqueue_picks_shortest': 'Send the body itself',
}

"""The limit counts the requests being worked on and forgets the queue, so it never bites."""

EDITS = {
    'admit': [('server.in_service + server.queued <', 'server.in_service <')],
}

EXPECTED_FAILURES = {
    'test_admit_is_a_concurrency_limit': 'admit should return False',
    'test_goodput_at_twice_capacity': 'answered',
}

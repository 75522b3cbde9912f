"""The limit counts the requests being worked on and forgets the queue, so it never bites."""

BELIEVED = "The requests waiting in the queue do not count against the limit, only those being worked on."
VIOLATES = ["2.4"]

EDITS = {
    'admit': [('server.in_service + server.queued <', 'server.in_service <')],
}

EXPECTED_FAILURES = {
    'test_admit_is_a_concurrency_limit': 'admit should return False',
    'test_goodput_at_twice_capacity': 'answered',
}

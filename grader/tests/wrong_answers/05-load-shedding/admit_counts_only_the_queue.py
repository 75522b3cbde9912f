"""Only the queued requests count against the limit: the ones in service are forgotten."""

BELIEVED = "Requests already being worked on are as good as done, so only the queue counts."
VIOLATES = ["2.4"]

EDITS = {
    'admit': [('server.in_service + server.queued < max_in_flight', 'server.queued < max_in_flight')],
}

EXPECTED_FAILURES = {
    'test_admit_is_a_concurrency_limit': 'admit should return False',
}

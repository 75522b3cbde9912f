"""The arriving request is counted as already held, so the limit bites one request early."""

BELIEVED = "The request asking to get in counts towards what the server holds."
VIOLATES = ["2.4"]

EDITS = {
    'admit': [('server.in_service + server.queued < max_in_flight', 'server.in_service + server.queued + 1 < max_in_flight')],
}

EXPECTED_FAILURES = {
    'test_admit_is_a_concurrency_limit': 'admit should return True',
}

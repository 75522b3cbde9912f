"""The limit is computed for the first request and kept in a global for all later ones."""

BELIEVED = "The limit is a property of the server, so it can be computed once and remembered."
VIOLATES = ["0.1", "2.3"]

ANSWERS = {
    'admit': '''def admit(request, server):
    if not hasattr(admit, "limit"):  # work the limit out once, on the first request
        capacity = server.workers / server.service_s
        admit.limit = max_in_flight(capacity, (request.deadline_s - request.sent_s) / 2)
    return server.in_service + server.queued < admit.limit
''',
}

EXPECTED_FAILURES = {
    'test_admit_is_a_concurrency_limit': 'Take the timeout from the request',
    'test_goodput_at_twice_capacity': 'A policy must be a pure function',
}

"""Retries are refused outright, whatever the server holds."""

BELIEVED = "Retries are what overloads a server, so a policy should turn every retry away."
VIOLATES = ["2.4"]

ANSWERS = {
    'admit': '''def admit(request, server):
    if request.attempt > 0:
        return False  # retries caused the metastable failure: keep them out
    cap = server.workers / server.service_s
    limit = max_in_flight(cap, (request.deadline_s - request.sent_s) / 2)
    return server.in_service + server.queued < limit
''',
}

EXPECTED_FAILURES = {
    'test_admit_is_a_concurrency_limit': 'admit should return True',
}

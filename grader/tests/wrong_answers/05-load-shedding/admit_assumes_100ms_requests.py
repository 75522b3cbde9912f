"""The capacity assumes the lab's example of 100 ms a request instead of reading service_s."""

BELIEVED = "Every server takes 100 ms a request, as in the lab's example, so capacity is 10 per worker."
VIOLATES = ["2.2"]

ANSWERS = {
    'admit': '''def admit(request, server):
    """Concurrency limit: what the workers clear in half the client's timeout."""
    capacity = server.workers * 10  # each worker: 10 requests a second (100 ms each)
    half_timeout = (request.deadline_s - request.sent_s) / 2
    in_server = server.in_service + server.queued
    return in_server < max_in_flight(capacity, half_timeout)
''',
}

EXPECTED_FAILURES = {
    'test_admit_is_a_concurrency_limit': 'admit should return',
}

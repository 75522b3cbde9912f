"""admit counts the requests it let in itself, in a global that never goes down."""

BELIEVED = "A policy can keep its own count of the requests it has let into the server."
VIOLATES = ["0.1", "2.4"]

ANSWERS = {
    'admit': '''def admit(request, server, counter={"let_in": 0}):
    capacity = server.workers / server.service_s
    timeout = request.deadline_s - request.sent_s
    held = max(counter["let_in"], server.in_service + server.queued)  # my count, or the server's
    if held < max_in_flight(capacity, timeout / 2):
        counter["let_in"] += 1
        return True
    return False
''',
}

EXPECTED_FAILURES = {
    'test_admit_is_a_concurrency_limit': 'admit should return True',
    'test_goodput_at_twice_capacity': 'A policy must be a pure function',
}

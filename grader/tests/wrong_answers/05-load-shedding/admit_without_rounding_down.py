"""The limit is left as a fraction, so a server one request past Little's law still admits."""

BELIEVED = "Comparing a whole count with the exact rate x latency is the same as rounding it down first."
VIOLATES = ["2.4"]

ANSWERS = {
    'admit': '''def admit(request, server):
    """Let a request in while the server holds less than it can answer in half the timeout."""
    rate = server.workers / server.service_s
    patience = request.deadline_s - request.sent_s
    budget = rate * patience / 2   # requests the server can clear in half the timeout
    return server.in_service + server.queued < budget
''',
}

EXPECTED_FAILURES = {
    'test_admit_is_a_concurrency_limit': 'admit should return False',
}

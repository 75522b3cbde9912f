"""shed drops whatever has waited half its timeout, as admit's limit is sized for half."""

BELIEVED = "A request that has waited half its timeout in the queue will be answered too late."
VIOLATES = ["3.2"]

ANSWERS = {
    'shed': '''def shed(request, server):
    timeout = request.deadline_s - request.sent_s
    waited = server.now_s - request.sent_s
    return waited > timeout / 2
''',
}

EXPECTED_FAILURES = {
    'test_shed_drops_hopeless_work': 'shed should return',
}

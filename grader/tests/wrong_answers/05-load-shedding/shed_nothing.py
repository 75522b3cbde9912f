"""Nothing is ever dropped: a queued request is served even after its client gave up."""

BELIEVED = "Admission control alone protects the service; shedding is optional."
VIOLATES = ["3.2"]

EDITS = {
    'shed': [('    return server.now_s + server.service_s > request.deadline_s', '    return False')],
}

EXPECTED_FAILURES = {
    'test_shed_drops_hopeless_work': 'shed should return True',
}

"""Nothing is ever dropped: a queued request is served even after its client gave up."""

EDITS = {
    'shed': [('    return server.now_s + server.service_s > request.deadline_s', '    return False')],
}

EXPECTED_FAILURES = {
    'test_shed_drops_hopeless_work': 'shed should return True',
}

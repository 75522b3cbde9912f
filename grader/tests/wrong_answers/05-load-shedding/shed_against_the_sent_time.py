"""The deadline check starts the work when the request was sent, not now: nothing is ever dropped."""

BELIEVED = "The work of a request starts when the request was sent."
VIOLATES = ["3.2"]

EDITS = {
    'shed': [('server.now_s + server.service_s > request.deadline_s', 'request.sent_s + server.service_s > request.deadline_s')],
}

EXPECTED_FAILURES = {
    'test_shed_drops_hopeless_work': 'shed should return True',
}

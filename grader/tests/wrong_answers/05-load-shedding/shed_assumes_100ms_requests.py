"""The work still to do is taken to be the lab's example of 100 ms, not server.service_s."""

BELIEVED = "Every request takes 100 ms, as in the lab's example."
VIOLATES = ["3.2"]

EDITS = {
    'shed': [('server.now_s + server.service_s > request.deadline_s', 'server.now_s + 0.1 > request.deadline_s')],
}

EXPECTED_FAILURES = {
    'test_shed_drops_hopeless_work': 'shed should return',
}

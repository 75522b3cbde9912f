"""Only requests already past their deadline are dropped, not those that cannot finish."""

BELIEVED = "A request is hopeless only once its deadline has passed."
VIOLATES = ["3.2"]

EDITS = {
    'shed': [('server.now_s + server.service_s > request.deadline_s', 'server.now_s > request.deadline_s')],
}

EXPECTED_FAILURES = {
    'test_shed_drops_hopeless_work': '100 ms of work cannot fit',
}

"""Any request that waited at all is dropped, so a queue is useless even at low load."""

BELIEVED = "A request that had to wait at all is already too late."
VIOLATES = ["3.2"]

EDITS = {
    'shed': [('    return server.now_s + server.service_s > request.deadline_s',
              '    return server.now_s > request.sent_s')],
}

EXPECTED_FAILURES = {
    'test_shed_drops_hopeless_work': 'a request with 0.15 s left',
    'test_low_load_rejects_nothing': 'Drop only what can no longer be answered',
}

"""The test is the wrong way round: fresh requests are dropped, hopeless ones served."""

EDITS = {
    'shed': [('server.now_s + server.service_s > request.deadline_s', 'server.now_s + server.service_s <= request.deadline_s')],
}

EXPECTED_FAILURES = {
    'test_shed_drops_hopeless_work': 'a request that just arrived',
    'test_low_load_rejects_nothing': 'Drop only what can no longer be answered',
    'test_goodput_at_twice_capacity': 'in time',
}

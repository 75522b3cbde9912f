"""The test is the wrong way round: fresh requests are dropped, hopeless ones served."""

BELIEVED = "shed returns True for the requests to keep."
VIOLATES = ["3.2"]

EDITS = {
    'shed': [('server.now_s + server.service_s > request.deadline_s', 'server.now_s + server.service_s <= request.deadline_s')],
}

EXPECTED_FAILURES = {
    'test_shed_drops_hopeless_work': 'a request that just arrived',
    'test_low_load_rejects_nothing': 'Drop only what can no longer be answered',
    'test_goodput_at_twice_capacity': 'decisions your policies made broke the rules',
}

"""The limit is compared with <=, so one request more than the limit gets in."""

BELIEVED = "A server holding exactly its limit still has room for one more request."
VIOLATES = ["2.4"]

EDITS = {
    'admit': [('server.in_service + server.queued < max_in_flight', 'server.in_service + server.queued <= max_in_flight')],
}

EXPECTED_FAILURES = {
    'test_admit_is_a_concurrency_limit': 'admit should return False',
}

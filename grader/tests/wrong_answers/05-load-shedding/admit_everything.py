"""No admission control: every request gets in, however long the queue."""

BELIEVED = "A service should take every request it is sent; refusing one is a failure."
VIOLATES = ["2.4"]

EDITS = {
    'admit': [('    return server.in_service + server.queued < max_in_flight(capacity_per_s, timeout_s / 2)',
               '    return True')],
}

EXPECTED_FAILURES = {
    'test_admit_is_a_concurrency_limit': 'admit should return False',
    'test_goodput_at_twice_capacity': 'Refuse what cannot be answered in time',
}

"""The limit is the number of workers: no queue at all, so bursts at low load are refused."""

BELIEVED = "A request should only get in when a worker is free to take it."
VIOLATES = ["2.4"]

EDITS = {
    'admit': [('    return server.in_service + server.queued < max_in_flight(capacity_per_s, timeout_s / 2)',
               '    return server.in_service + server.queued < server.workers')],
}

EXPECTED_FAILURES = {
    'test_admit_is_a_concurrency_limit': 'admit should return True',
    'test_low_load_rejects_nothing': 'leave room for a queue',
}

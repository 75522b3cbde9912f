"""The capacity is one worker's rate, 1 / service_s, so a server with many workers refuses too soon."""

BELIEVED = "A server's capacity is how fast one request is served, 1 / service_s."
VIOLATES = ["2.2"]

EDITS = {
    'admit': [('    capacity_per_s = server.workers / server.service_s', '    capacity_per_s = 1 / server.service_s')],
}

EXPECTED_FAILURES = {
    'test_admit_is_a_concurrency_limit': 'admit should return True',
    'test_low_load_rejects_nothing': 'refused',
}

"""The capacity is taken to be the number of workers, as if each request took a second."""

BELIEVED = "A server's capacity is its number of workers."
VIOLATES = ["2.2"]

EDITS = {
    'admit': [('    capacity_per_s = server.workers / server.service_s', '    capacity_per_s = server.workers')],
}

EXPECTED_FAILURES = {
    'test_admit_is_a_concurrency_limit': 'admit should return True',
    'test_low_load_rejects_nothing': 'refused',
}

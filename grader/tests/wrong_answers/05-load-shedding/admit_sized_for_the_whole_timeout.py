"""The limit lets in as much as can finish within the whole timeout: answers come too late."""

BELIEVED = "A request may wait in the server for as long as its client waits."
VIOLATES = ["2.4"]

EDITS = {
    'admit': [('max_in_flight(capacity_per_s, timeout_s / 2)', 'max_in_flight(capacity_per_s, timeout_s)')],
}

EXPECTED_FAILURES = {
    'test_admit_is_a_concurrency_limit': 'admit should return False',
    'test_goodput_at_twice_capacity': 'admit should return False',
}

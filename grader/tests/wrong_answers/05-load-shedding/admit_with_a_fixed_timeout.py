"""The limit assumes a 1 s timeout for every client instead of reading the request's."""

BELIEVED = "Every client waits 1 s, as in the lab's example."
VIOLATES = ["2.3"]

EDITS = {
    'admit': [('    timeout_s = request.deadline_s - request.sent_s', '    timeout_s = 1.0')],
}

EXPECTED_FAILURES = {
    'test_admit_is_a_concurrency_limit': 'Take the timeout from the request',
}

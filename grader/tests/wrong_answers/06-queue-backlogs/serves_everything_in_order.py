"""Every message is served in the order received: a FIFO consumer, stale backlog first."""

BELIEVED = "Every message deserves to be served, oldest first."
VIOLATES = ["3.5", "4.1"]

EDITS = {
    'consume_batch': [('        action = triage(age_s, fresh_s, expire_s)', '        action = "serve"')],
}

EXPECTED_FAILURES = {
    'test_consume_routes_by_age': 'only the 5-second-old one',
    'test_surge': 'move old messages aside',
}

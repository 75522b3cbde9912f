"""consume_batch triages with the visible tests' 30 and 120 seconds, not its own arguments."""

BELIEVED = "fresh_s and expire_s are the same for every consumer, so they can be written in."
VIOLATES = ["3.3", "3.5"]

EDITS = {
    'consume_batch': [('        action = triage(age_s, fresh_s, expire_s)',
                       '        action = triage(age_s, 30, 120)')],
}

EXPECTED_FAILURES = {
    'test_consume_routes_by_age': 'fresh_s=',
}

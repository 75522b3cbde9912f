"""The defer test comes first, so a message past expire_s is deferred, never expired."""

BELIEVED = "Checking the thresholds in increasing order is the same as checking them in any order."
VIOLATES = ["2.3"]

EDITS = {
    'triage': [('''    if age_s > expire_s:
        return "expire"
    if age_s > fresh_s:
        return "defer"''', '''    if age_s > fresh_s:
        return "defer"
    if age_s > expire_s:
        return "expire"''')],
}

EXPECTED_FAILURES = {
    'test_triage': "should be 'expire'",
    'test_consume_routes_by_age': 'should be expired',
}

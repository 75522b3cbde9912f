"""triage compares with the visible tests' 30 and 120 seconds instead of its arguments."""

BELIEVED = "fresh_s and expire_s are always 30 and 120 seconds."
VIOLATES = ["2.1", "2.2", "2.3"]

EDITS = {
    'triage': [('''    if age_s > expire_s:
        return "expire"
    if age_s > fresh_s:''', '''    if age_s > 120:
        return "expire"
    if age_s > 30:''')],
}

EXPECTED_FAILURES = {
    'test_triage': 'triage(',
}

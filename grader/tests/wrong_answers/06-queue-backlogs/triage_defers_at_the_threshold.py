"""A message exactly fresh_s old is deferred: the thresholds are off by one."""

BELIEVED = "\"No older than fresh_s\" means younger than fresh_s."
VIOLATES = ["2.1"]

EDITS = {
    'triage': [('    if age_s > fresh_s:', '    if age_s >= fresh_s:')],
}

EXPECTED_FAILURES = {
    'test_triage': "should be 'serve'",
}

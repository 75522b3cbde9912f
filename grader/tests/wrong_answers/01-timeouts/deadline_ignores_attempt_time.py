"""call_with_deadline checks the time spent, but not that the next attempt fits."""

BELIEVED = 'A deadline is kept if no attempt starts after it has passed.'
VIOLATES = ['3.6']

EDITS = {
    'call_with_deadline': [
        ('        if clock() - started_s + attempt_timeout_s > deadline_s:',
         '        if clock() - started_s > deadline_s:'),
        ('        if clock() - started_s + wait_s + attempt_timeout_s > deadline_s:',
         '        if clock() - started_s + wait_s > deadline_s:'),
    ],
}

EXPECTED_FAILURES = {
    'test_deadline_never_outlived': 'Before each attempt (and before each wait), check that',
}

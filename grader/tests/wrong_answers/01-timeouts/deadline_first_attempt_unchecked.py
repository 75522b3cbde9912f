"""call_with_deadline always makes its first attempt, even when it cannot fit in the deadline."""

BELIEVED = 'The first attempt is free: only retries have to fit in the deadline.'
VIOLATES = ['3.6']

EDITS = {
    'call_with_deadline': [
        ('        if clock() - started_s + attempt_timeout_s > deadline_s:',
         '        if retry > 0 and clock() - started_s + attempt_timeout_s > deadline_s:'),
    ],
}

EXPECTED_FAILURES = {
    'test_deadline_never_outlived': 'past the',
}

"""call_with_deadline reads time.monotonic instead of the clock it is given."""

BELIEVED = 'Real time is the only time: the clock argument is decoration.'
VIOLATES = ['3.5']

EDITS = {
    'call_with_deadline': [
        ('    started_s = clock()',
         '    import time\n\n    started_s = time.monotonic()'),
        ('        if clock() - started_s + attempt_timeout_s > deadline_s:',
         '        if time.monotonic() - started_s + attempt_timeout_s > deadline_s:'),
        ('        if clock() - started_s + wait_s + attempt_timeout_s > deadline_s:',
         '        if time.monotonic() - started_s + wait_s + attempt_timeout_s > deadline_s:'),
    ],
}

EXPECTED_FAILURES = {
    'test_deadline_never_outlived': 'its retries have no bound',
}

"""call_with_deadline sleeps without checking that an attempt still fits after the wait."""

BELIEVED = 'The check before each attempt is enough to keep the deadline.'
VIOLATES = ['3.6']

EDITS = {
    'call_with_deadline': [
        ('        if clock() - started_s + wait_s + attempt_timeout_s > deadline_s:\n            raise TimeoutError(f"no room for another attempt in {deadline_s} s") from last_error\n',
         ''),
    ],
}

EXPECTED_FAILURES = {
    'test_deadline_never_outlived': 'a wait that no attempt can follow',
}

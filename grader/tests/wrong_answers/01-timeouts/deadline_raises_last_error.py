"""call_with_deadline re-raises the last timeout instead of TimeoutError."""

BELIEVED = 'The last timeout already says what went wrong: no need for another error type.'
VIOLATES = ['3.7']

EDITS = {
    'call_with_deadline': [
        ('            raise TimeoutError(f"no room for another attempt in {deadline_s} s") from last_error\n        sleep(wait_s)',
         '            raise last_error\n        sleep(wait_s)'),
    ],
}

EXPECTED_FAILURES = {
    'test_deadline_never_outlived': 'raise TimeoutError (with `from` the last error)',
}

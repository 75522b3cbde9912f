"""call_with_deadline returns None when the deadline runs out, instead of raising."""

BELIEVED = 'Returning nothing is how a call says it got nothing in time.'
VIOLATES = ['3.7']

EDITS = {
    'call_with_deadline': [
        ('            raise TimeoutError(f"no room for another attempt in {deadline_s} s") from last_error\n        sleep(wait_s)',
         '            return None\n        sleep(wait_s)'),
    ],
}

EXPECTED_FAILURES = {
    'test_deadline_never_outlived': 'raise TimeoutError (with `from` the last error)',
}

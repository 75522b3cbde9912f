"""call_with_deadline turns the first timeout into TimeoutError: no retries."""

EDITS = {
    'call_with_deadline': [
        ('        except RETRYABLE_ERRORS as error:\n            last_error = error',
         '        except RETRYABLE_ERRORS as error:\n            raise TimeoutError("timed out") from error'),
    ],
}

EXPECTED_FAILURES = {
    'test_deadline_retries_timeouts': 'A timeout is worth another try',
    'test_deadline_useful_work': 'at least 198 of 200 calls should succeed',
}

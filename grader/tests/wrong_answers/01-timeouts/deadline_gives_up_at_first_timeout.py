"""call_with_deadline turns the first timeout into TimeoutError: no retries."""

BELIEVED = 'A timeout means the service is down: trying again only wastes time.'
VIOLATES = ['3.2']

EDITS = {
    'call_with_deadline': [
        ('        except RETRYABLE_ERRORS as error:\n            last_error = error',
         '        except RETRYABLE_ERRORS as error:\n            raise TimeoutError("timed out") from error'),
    ],
}

EXPECTED_FAILURES = {
    'test_deadline_retries_timeouts': 'one of the four errors to try again',
    'test_deadline_useful_work': 'Call ',
}

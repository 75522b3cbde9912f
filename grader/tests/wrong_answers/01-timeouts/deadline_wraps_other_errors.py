"""call_with_deadline wraps an error it does not retry in a RuntimeError."""

BELIEVED = 'The caller should see one error type for every failure of the call.'
VIOLATES = ['3.4']

EDITS = {
    'call_with_deadline': [
        ('        except RETRYABLE_ERRORS as error:\n            last_error = error\n',
         '        except RETRYABLE_ERRORS as error:\n            last_error = error\n        except Exception as error:\n            raise RuntimeError("the call failed") from error\n'),
    ],
}

EXPECTED_FAILURES = {
    'test_deadline_non_retryable': 'should raise that error unchanged',
}

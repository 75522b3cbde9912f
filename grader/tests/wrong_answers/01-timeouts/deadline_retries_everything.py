"""call_with_deadline retries every error, ValidationException included."""

BELIEVED = 'Any failure might be transient, so every error deserves another try.'
VIOLATES = ['3.4']

EDITS = {
    'call_with_deadline': [
        ('        except RETRYABLE_ERRORS as error:',
         '        except Exception as error:'),
    ],
}

EXPECTED_FAILURES = {
    'test_deadline_non_retryable': 'should raise that error unchanged',
}

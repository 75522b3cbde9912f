"""call_with_deadline retries every botocore error, not just timeouts and dropped connections."""

BELIEVED = 'Every BotoCoreError is a network problem worth another try.'
VIOLATES = ['3.4']

EDITS = {
    'call_with_deadline': [
        ('        except RETRYABLE_ERRORS as error:',
         '        except BotoCoreError as error:'),
        ('    started_s = clock()',
         '    from botocore.exceptions import BotoCoreError\n\n    started_s = clock()'),
    ],
}

EXPECTED_FAILURES = {
    'test_deadline_non_retryable': 'should raise that error unchanged',
}

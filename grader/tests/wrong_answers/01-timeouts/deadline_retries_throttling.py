"""call_with_deadline also retries ClientErrors (throttling, server errors, and the rest)."""

BELIEVED = 'A ClientError from AWS is as transient as a timeout.'
VIOLATES = ['3.4']

EDITS = {
    'call_with_deadline': [
        ('        except RETRYABLE_ERRORS as error:',
         '        except (*RETRYABLE_ERRORS, ClientError) as error:'),
        ('    started_s = clock()',
         '    from botocore.exceptions import ClientError\n\n    started_s = clock()'),
    ],
}

EXPECTED_FAILURES = {
    'test_deadline_non_retryable': 'should raise that error unchanged',
}

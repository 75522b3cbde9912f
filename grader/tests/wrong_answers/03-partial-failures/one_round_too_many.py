"""put_records_reliably sends max_attempts + 1 rounds."""

BELIEVED = 'max_attempts counts the retries after the first send.'

VIOLATES = ['3.3']

EDITS = {
    'put_records_reliably': [
        ('    for retry in range(-1, max_attempts - 1):',
         '    for retry in range(-1, max_attempts):'),
    ],
}

EXPECTED_FAILURES = {
    'test_permanent_failure_reported': 'it should be sent at most',
}

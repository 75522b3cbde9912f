"""put_records_reliably keeps resending until every record lands, however long it takes."""

BELIEVED = 'Every record lands in the end if the writer keeps trying.'

VIOLATES = ['3.3']

EDITS = {
    'put_records_reliably': [
        ('    for retry in range(-1, max_attempts - 1):',
         '    for retry in range(-1, 10**9):'),
    ],
}

EXPECTED_FAILURES = {
    'test_permanent_failure_reported': 'its retries have no bound',
}

"""put_records_reliably doubles the window once too often: retry starts at 1."""

BELIEVED = 'The first retry is retry number 1.'

VIOLATES = ['3.2']

EDITS = {
    'put_records_reliably': [
        ('min(cap, base * 2**retry)',
         'min(cap, base * 2**(retry + 1))'),
    ],
}

EXPECTED_FAILURES = {
    'test_backoff_between_rounds': 'seems to start at 1',
}

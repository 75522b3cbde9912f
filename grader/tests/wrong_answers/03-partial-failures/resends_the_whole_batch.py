"""put_records_reliably resends every record again when any of them failed."""

BELIEVED = 'A batch that failed in part must be sent again whole.'

VIOLATES = ['3.1', '3.6']

EDITS = {
    'put_records_reliably': [
        ('        pending = sorted(errors)',
         '        pending = pending if errors else []'),
    ],
}

EXPECTED_FAILURES = {
    'test_only_failed_resent': 'Resend only the records that failed',
    'test_burst_lands_once': 'more than once',
}

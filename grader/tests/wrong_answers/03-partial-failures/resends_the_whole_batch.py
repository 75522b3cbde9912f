"""put_records_reliably resends every record again when any of them failed."""

EDITS = {
    'put_records_reliably': [
        ('        pending = sorted(errors)',
         '        pending = pending if errors else []'),
    ],
}

EXPECTED_FAILURES = {
    'test_only_failed_resent': 'Send again only what failed',
    'test_permanent_failure_reported': 'more than once',
}

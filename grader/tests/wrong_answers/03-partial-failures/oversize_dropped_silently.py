"""put_records_reliably skips a record over 1 MiB without reporting it."""

EDITS = {
    'put_records_reliably': [
        ('    return {**too_large, **errors}',
         '    return errors'),
    ],
}

EXPECTED_FAILURES = {
    'test_limits_respected': "report it as 'RecordTooLarge'",
}

"""put_records_reliably skips a record over 1 MiB without reporting it."""

BELIEVED = 'A record that cannot be sent can be skipped quietly.'

VIOLATES = ['3.5']

EDITS = {
    'put_records_reliably': [
        ('    return {**too_large, **errors}',
         '    return errors'),
    ],
}

EXPECTED_FAILURES = {
    'test_limits_respected': "report it as 'RecordTooLarge'",
}

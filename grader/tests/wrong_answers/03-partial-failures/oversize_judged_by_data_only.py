"""put_records_reliably judges a record too large by its data alone."""

BELIEVED = 'Only the data counts towards the 1 MiB a record may hold.'

VIOLATES = ['3.5']

EDITS = {
    'put_records_reliably': [
        ('                 if record_size(record) > KINESIS_RECORD_MAX_BYTES}',
         '                 if len(record["Data"]) > KINESIS_RECORD_MAX_BYTES}'),
    ],
}

EXPECTED_FAILURES = {
    'test_limits_respected': "report it as 'RecordTooLarge'",
}

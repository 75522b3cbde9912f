"""put_records_reliably stops sending a round at the first call in which nothing failed."""

BELIEVED = 'A call in which every record landed means the stream has room again: the round is done.'

VIOLATES = ['3.1']

EDITS = {
    'put_records_reliably': [
        ('            errors.update(failed_records(sent, response))',
         '            errors.update(failed_records(sent, response))\n            if response["FailedRecordCount"] == 0:\n                break'),
    ],
}

EXPECTED_FAILURES = {
    'test_limits_respected': 'your writer never sent record(s)',
}

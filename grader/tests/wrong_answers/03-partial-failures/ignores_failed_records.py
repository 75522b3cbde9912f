"""put_records_reliably trusts the HTTP 200 and never looks at FailedRecordCount."""

BELIEVED = 'A PutRecords call that returns 200 wrote every record.'

VIOLATES = ['3.1']

EDITS = {
    'put_records_reliably': [
        ('            errors.update(failed_records(sent, response))',
         '            response.get("FailedRecordCount")'),
    ],
}

EXPECTED_FAILURES = {
    'test_burst_lands_once': 'never reached the stream',
    'test_only_failed_resent': 'did not send them again',
}

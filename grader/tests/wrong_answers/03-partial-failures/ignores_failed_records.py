"""put_records_reliably trusts the HTTP 200 and never looks at FailedRecordCount."""

EDITS = {
    'put_records_reliably': [
        ('            errors.update(failed_records(sent, response))',
         '            response.get("FailedRecordCount")'),
    ],
}

EXPECTED_FAILURES = {
    'test_burst_lands_once': 'never reached the stream',
    'test_permanent_failure_reported': 'should be sent 4 times',
}

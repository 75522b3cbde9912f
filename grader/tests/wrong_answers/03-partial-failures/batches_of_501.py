"""plan_batches starts a new call one record too late."""

BELIEVED = 'A call is full once it holds more than 500 records.'

VIOLATES = ['1.1']

EDITS = {
    'plan_batches': [
        ('len(batch) == PUT_RECORDS_MAX_RECORDS',
         'len(batch) > PUT_RECORDS_MAX_RECORDS'),
    ],
}

EXPECTED_FAILURES = {
    'test_plan_batches': 'a PutRecords call takes 1 to 500 records',
}

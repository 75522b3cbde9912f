"""plan_batches starts a new call one record too late."""

EDITS = {
    'plan_batches': [
        ('len(batch) == PUT_RECORDS_MAX_RECORDS',
         'len(batch) > PUT_RECORDS_MAX_RECORDS'),
    ],
}

EXPECTED_FAILURES = {
    'test_plan_batches': 'a PutRecords call takes 1 to 500 records',
}

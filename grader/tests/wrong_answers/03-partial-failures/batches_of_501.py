"""plan_batches starts a new call one record too late."""

EDITS = {
    'plan_batches': [
        ('len(batch) == MAX_RECORDS_PER_CALL',
         'len(batch) > MAX_RECORDS_PER_CALL'),
    ],
}

EXPECTED_FAILURES = {
    'test_plan_batches': 'a PutRecords call takes 1 to 500 records',
}

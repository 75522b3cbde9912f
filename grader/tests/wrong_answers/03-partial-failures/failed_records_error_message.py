"""failed_records reports each failed entry's ErrorMessage instead of its ErrorCode."""

BELIEVED = 'The error message is the more useful thing to report.'

VIOLATES = ['2.1']

EDITS = {
    'failed_records': [
        ('    return [(index, entry["ErrorCode"])',
         '    return [(index, entry["ErrorMessage"])'),
    ],
}

EXPECTED_FAILURES = {
    'test_failed_records': "return each entry's ErrorCode",
}

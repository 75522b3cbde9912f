"""failed_records sorts the failed pairs."""

BELIEVED = 'Sorted results are tidier, and the batch is in index order anyway.'

VIOLATES = ['2.3']

EDITS = {
    'failed_records': [
        ('    return [(index, entry["ErrorCode"])',
         '    return sorted([(index, entry["ErrorCode"])'),
        ('            if "ErrorCode" in entry]',
         '            if "ErrorCode" in entry])'),
    ],
}

EXPECTED_FAILURES = {
    'test_failed_records': 'in the order of the batch',
}

"""make_client sets retries={'max_attempts': N}, which botocore reads as N retries."""

EDITS = {
    'make_client': [
        ('"total_max_attempts": max_attempts',
         '"max_attempts": max_attempts'),
    ],
}

EXPECTED_FAILURES = {
    'test_client_configuration': 'means N retries AFTER the first call',
    'test_client_times_out': 'it made 4 attempt(s)',
}

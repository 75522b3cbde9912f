"""make_client sets retries={'max_attempts': N}, which botocore reads as N retries."""

BELIEVED = "botocore's max_attempts counts every call, the first one included."
VIOLATES = ['2.5']

EDITS = {
    'make_client': [
        ('"total_max_attempts": max_attempts',
         '"max_attempts": max_attempts'),
    ],
}

EXPECTED_FAILURES = {
    'test_client_configuration': 'means N retries AFTER the first call',
    'test_client_times_out': 'the client should make',
}

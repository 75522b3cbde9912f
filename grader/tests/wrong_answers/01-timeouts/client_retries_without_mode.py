"""make_client bounds the attempts but leaves the retry mode to botocore's default."""

BELIEVED = 'Setting the number of attempts is all the retry configuration there is.'
VIOLATES = ['2.4']

EDITS = {
    'make_client': [
        ('retries={"mode": "standard", "total_max_attempts": max_attempts}',
         'retries={"total_max_attempts": max_attempts}'),
    ],
}

EXPECTED_FAILURES = {
    'test_client_configuration': "ask for 'standard' explicitly",
}

"""admit_api lets a request in while its API holds no more than its limit, one too many."""

BELIEVED = 'A limit of 10 means the API may hold 10, so a request may join while it holds 10.'
VIOLATES = ['5.4']

EDITS = {
    'admit_api': [
        ('pool.held[request.api] < limits[request.api]', 'pool.held[request.api] <= limits[request.api]'),
    ],
}

EXPECTED_FAILURES = {
    'test_admit_api': 'admit_api should return False',
}

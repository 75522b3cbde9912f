"""admit_api holds every API to the largest limit of all."""

BELIEVED = 'Giving every API the most generous limit keeps refusals down without hurting isolation.'
VIOLATES = ['5.4']

EDITS = {
    'admit_api': [
        ('pool.held[request.api] < limits[request.api]', 'pool.held[request.api] < max(limits.values())'),
    ],
}

EXPECTED_FAILURES = {
    'test_admit_api': 'admit_api should return False',
}

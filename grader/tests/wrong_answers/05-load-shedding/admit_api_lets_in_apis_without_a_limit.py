"""admit_api lets in every request of an API that has no limit."""

BELIEVED = 'An API without a limit is unlimited.'
VIOLATES = ['5.5']

EDITS = {
    'admit_api': [
        ('        return False\n    return pool.held', '        return True\n    return pool.held'),
    ],
}

EXPECTED_FAILURES = {
    'test_admit_api': 'an API with no limit',
}

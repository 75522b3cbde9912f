"""admit_api looks the limit up without asking whether the API has one, and raises KeyError."""

BELIEVED = 'Every request comes from an API that api_limits sized.'
VIOLATES = ['5.5']

EDITS = {
    'admit_api': [
        ('    if request.api not in limits:\n        return False\n', ''),
    ],
}

EXPECTED_FAILURES = {
    'test_admit_api': 'KeyError',
}

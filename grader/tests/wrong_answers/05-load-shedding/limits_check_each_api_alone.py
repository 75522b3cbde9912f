"""api_limits refuses only a single limit larger than the pool, not limits that add up past it."""

BELIEVED = 'Each API only has to fit in the pool on its own.'
VIOLATES = ['5.3']

EDITS = {
    'api_limits': [
        ('if sum(limits.values()) > workers:', 'if any(limit > workers for limit in limits.values()):'),
    ],
}

EXPECTED_FAILURES = {
    'test_api_limits': 'it should raise ValueError',
}

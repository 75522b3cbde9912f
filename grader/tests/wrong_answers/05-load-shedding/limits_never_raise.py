"""api_limits returns limits however many workers the pool has."""

BELIEVED = 'Limits are only ceilings, so they may add up to more than the pool.'
VIOLATES = ['5.3']

EDITS = {
    'api_limits': [
        ('    if sum(limits.values()) > workers:\n        raise ValueError(f"limits {limits} do not fit in {workers} workers")\n', ''),
    ],
}

EXPECTED_FAILURES = {
    'test_api_limits': 'it should raise ValueError',
}

"""api_limits raises ValueError when the limits fill the pool exactly."""

BELIEVED = 'A pool whose limits use every worker has no slack, so it should be refused too.'
VIOLATES = ['5.3']

EDITS = {
    'api_limits': [
        ('if sum(limits.values()) > workers:', 'if sum(limits.values()) >= workers:'),
    ],
}

EXPECTED_FAILURES = {
    'test_api_limits': 'raised ValueError, but the limits',
}

"""pick_timeout always takes the p99, whatever rate it is asked for."""

BELIEVED = 'The p99 is the standard timeout, whatever rate is accepted.'
VIOLATES = ['1.1']

EDITS = {
    'pick_timeout': [
        ('nearest_rank(1 - false_timeout_rate)',
         'nearest_rank(0.99)'),
    ],
}

EXPECTED_FAILURES = {
    'test_pick_timeout_percentile': 'should return the p99.9',
}

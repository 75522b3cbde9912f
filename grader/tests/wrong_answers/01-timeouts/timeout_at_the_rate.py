"""pick_timeout reads the percentile at the false-timeout rate, not at 1 - rate."""

BELIEVED = 'The percentile to read is the false-timeout rate itself.'
VIOLATES = ['1.1']

EDITS = {
    'pick_timeout': [
        ('nearest_rank(1 - false_timeout_rate)',
         'nearest_rank(false_timeout_rate)'),
    ],
}

EXPECTED_FAILURES = {
    'test_pick_timeout_percentile': 'should return the p99.9',
}

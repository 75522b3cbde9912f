"""pick_timeout takes the smaller of the percentile and headroom x median."""

BELIEVED = 'Headroom caps the timeout, so a slow tail cannot make it huge.'
VIOLATES = ['1.2']

EDITS = {
    'pick_timeout': [
        ('return max(',
         'return min('),
    ],
}

EXPECTED_FAILURES = {
    'test_pick_timeout_headroom': 'should return',
}

"""pick_timeout adds headroom to the median instead of multiplying it."""

BELIEVED = 'Headroom is a margin in seconds on top of the median.'
VIOLATES = ['1.2']

EDITS = {
    'pick_timeout': [
        ('headroom * nearest_rank(0.5)',
         'headroom + nearest_rank(0.5)'),
    ],
}

EXPECTED_FAILURES = {
    'test_pick_timeout_headroom': 'headroom x median',
}

"""pick_timeout ignores headroom: a timeout just above a tight median."""

BELIEVED = 'The percentile alone is the timeout; headroom is an optional extra.'
VIOLATES = ['1.2']

EDITS = {
    'pick_timeout': [
        ('return max(nearest_rank(1 - false_timeout_rate), headroom * nearest_rank(0.5))',
         'return nearest_rank(1 - false_timeout_rate)'),
    ],
}

EXPECTED_FAILURES = {
    'test_pick_timeout_headroom': 'headroom x median',
}

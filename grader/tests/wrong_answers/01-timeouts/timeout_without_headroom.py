"""pick_timeout ignores headroom: a timeout just above a tight median."""

EDITS = {
    'pick_timeout': [
        ('return max(nearest_rank(1 - false_timeout_rate), headroom * nearest_rank(0.5))',
         'return nearest_rank(1 - false_timeout_rate)'),
    ],
}

EXPECTED_FAILURES = {
    'test_pick_timeout_headroom': 'with headroom=2.0, pick_timeout should return 2 x median',
}

"""pick_timeout takes the upper of the two middle values as the median of an even count."""

BELIEVED = 'The median sits at index n // 2, whatever the count.'
VIOLATES = ['1.2']

EDITS = {
    'pick_timeout': [
        ('headroom * nearest_rank(0.5)',
         'headroom * ordered[len(ordered) // 2]'),
    ],
}

EXPECTED_FAILURES = {
    'test_pick_timeout_headroom': 'the median is the nearest-rank percentile at 0.5',
}

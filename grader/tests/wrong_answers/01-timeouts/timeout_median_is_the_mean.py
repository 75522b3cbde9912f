"""pick_timeout keeps headroom above the mean latency, not the median."""

BELIEVED = 'Mean and median are the same thing for latencies.'
VIOLATES = ['1.2']

EDITS = {
    'pick_timeout': [
        ('headroom * nearest_rank(0.5)',
         'headroom * sum(ordered) / len(ordered)'),
    ],
}

EXPECTED_FAILURES = {
    'test_pick_timeout_headroom': 'headroom x median',
}

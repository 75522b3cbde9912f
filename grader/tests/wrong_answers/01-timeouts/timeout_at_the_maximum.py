"""pick_timeout waits for the slowest call ever seen."""

EDITS = {
    'pick_timeout': [
        ('max(nearest_rank(1 - false_timeout_rate),',
         'max(ordered[-1],'),
    ],
}

EXPECTED_FAILURES = {
    'test_pick_timeout_percentile': 'a timeout at the maximum',
}

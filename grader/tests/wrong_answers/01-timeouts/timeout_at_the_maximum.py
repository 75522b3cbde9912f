"""pick_timeout waits for the slowest call ever seen."""

BELIEVED = 'A timeout must let every call seen so far finish.'
VIOLATES = ['1.1']

EDITS = {
    'pick_timeout': [
        ('max(nearest_rank(1 - false_timeout_rate),',
         'max(ordered[-1],'),
    ],
}

EXPECTED_FAILURES = {
    'test_pick_timeout_percentile': 'the latency at rank 10000 of the sorted sample',
}

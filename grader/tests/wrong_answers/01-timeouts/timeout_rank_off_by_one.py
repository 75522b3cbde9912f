"""pick_timeout takes the value at index ceil(fraction * n), one rank too high."""

BELIEVED = 'Python indexes from 0, so rank k is at index k.'
VIOLATES = ['1.1']

EDITS = {
    'pick_timeout': [
        ('return ordered[max(1, math.ceil(fraction * len(ordered))) - 1]',
         'return ordered[min(len(ordered) - 1, math.ceil(fraction * len(ordered)))]'),
    ],
}

EXPECTED_FAILURES = {
    'test_pick_timeout_percentile': 'should return the p99.9',
}

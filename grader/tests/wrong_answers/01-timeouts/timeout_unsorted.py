"""pick_timeout reads the rank from the latencies as recorded, without sorting them."""

BELIEVED = 'A latency sample comes sorted, so its ranks can be read directly.'
VIOLATES = ['1.1']

EDITS = {
    'pick_timeout': [
        ('ordered = sorted(latencies_s)',
         'ordered = list(latencies_s)'),
    ],
}

EXPECTED_FAILURES = {
    'test_pick_timeout_percentile': 'should return the p99.9',
}

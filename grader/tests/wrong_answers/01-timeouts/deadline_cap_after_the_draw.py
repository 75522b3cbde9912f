"""call_with_deadline draws below base * 2**retry and caps the draw, instead of capping the ceiling."""

BELIEVED = 'Capping the wait after drawing it is the same as capping its ceiling.'
VIOLATES = ['3.3']

EDITS = {
    'call_with_deadline': [
        ('rng.uniform(0, min(cap, base * 2**retry))',
         'min(cap, rng.uniform(0, base * 2**retry))'),
    ],
}

EXPECTED_FAILURES = {
    'test_deadline_jitter': 'should be rng.uniform(0, min(cap, base * 2**',
}

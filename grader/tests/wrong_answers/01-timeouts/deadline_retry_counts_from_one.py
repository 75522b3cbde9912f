"""call_with_deadline's first wait is drawn below base * 2, not below base."""

BELIEVED = 'The first retry is retry number 1.'
VIOLATES = ['3.3']

EDITS = {
    'call_with_deadline': [
        ('rng.uniform(0, min(cap, base * 2**retry))',
         'rng.uniform(0, min(cap, base * 2**(retry + 1)))'),
    ],
}

EXPECTED_FAILURES = {
    'test_deadline_jitter': 'draw number 1 from that rng',
}

"""call_with_deadline draws its waits from the random module, not from the rng it is given."""

BELIEVED = 'Any source of randomness gives jitter; the rng argument is optional.'
VIOLATES = ['3.3']

EDITS = {
    'call_with_deadline': [
        ('rng.uniform(0, min(cap, base * 2**retry))',
         'random.uniform(0, min(cap, base * 2**retry))'),
    ],
}

EXPECTED_FAILURES = {
    'test_deadline_jitter': 'from the rng given',
}

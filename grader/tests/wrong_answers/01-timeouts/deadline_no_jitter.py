"""call_with_deadline waits the full exponential delay: no jitter."""

BELIEVED = 'The exponential ceiling is the wait; randomness only makes tests flaky.'
VIOLATES = ['3.3']

EDITS = {
    'call_with_deadline': [
        ('wait_s = rng.uniform(0, min(cap, base * 2**retry))',
         'wait_s = min(cap, base * 2**retry)'),
    ],
}

EXPECTED_FAILURES = {
    'test_deadline_jitter': 'there is no jitter',
}

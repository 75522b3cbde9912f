"""call_with_deadline waits through clock.sleep instead of the sleep it is given."""

BELIEVED = "The clock has a sleep method, so sleep is the clock's business."
VIOLATES = ['3.3']

EDITS = {
    'call_with_deadline': [
        ('        sleep(wait_s)',
         '        clock.sleep(wait_s)'),
    ],
}

EXPECTED_FAILURES = {
    'test_deadline_jitter': 'through clock.sleep',
}

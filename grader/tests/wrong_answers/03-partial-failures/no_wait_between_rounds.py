"""put_records_reliably resends failed records at once, without waiting."""

BELIEVED = 'Resending at once is the fastest way to get records in.'

VIOLATES = ['3.2']

EDITS = {
    'put_records_reliably': [
        ('            sleep(rng.uniform(0, min(cap, base * 2**retry)))',
         '            pass'),
    ],
}

EXPECTED_FAILURES = {
    'test_backoff_between_rounds': 'Did you call time.sleep?',
}

"""put_records_reliably resends failed records at once, without waiting."""

EDITS = {
    'put_records_reliably': [
        ('            sleep(rng.uniform(0, min(cap, base * 2**retry)))',
         '            pass'),
    ],
}

EXPECTED_FAILURES = {
    'test_backoff_between_rounds': 'Did you call time.sleep?',
    'test_burst_lands_once': 'never reached the stream',
}

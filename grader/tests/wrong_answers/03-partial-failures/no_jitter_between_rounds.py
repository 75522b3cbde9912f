"""put_records_reliably waits the full exponential delay: no jitter."""

EDITS = {
    'put_records_reliably': [
        ('            sleep(rng.uniform(0, min(cap, base * 2**retry)))',
         '            sleep(min(cap, base * 2**retry))'),
    ],
}

EXPECTED_FAILURES = {
    'test_backoff_between_rounds': 'there is no jitter',
}

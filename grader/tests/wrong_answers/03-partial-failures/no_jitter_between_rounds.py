"""put_records_reliably waits the full exponential delay: no jitter."""

BELIEVED = 'Exponential backoff alone spreads the retries out.'

VIOLATES = ['3.2']

EDITS = {
    'put_records_reliably': [
        ('            sleep(rng.uniform(0, min(cap, base * 2**retry)))',
         '            sleep(min(cap, base * 2**retry))'),
    ],
}

EXPECTED_FAILURES = {
    'test_backoff_between_rounds': 'there is no jitter',
}

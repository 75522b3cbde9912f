"""write_items_reliably resends unprocessed items at once, without waiting."""

BELIEVED = 'DynamoDB asks for a resend, so resend at once.'

VIOLATES = ['4.3']

EDITS = {
    'write_items_reliably': [
        ('            sleep(rng.uniform(0, min(cap, base * 2**retry)))',
         '            pass'),
    ],
}

EXPECTED_FAILURES = {
    'test_batch_write_only_unprocessed': 'Did you call time.sleep?',
}

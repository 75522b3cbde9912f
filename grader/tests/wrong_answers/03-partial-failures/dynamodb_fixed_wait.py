"""write_items_reliably always waits base seconds between rounds."""

BELIEVED = 'A constant pause between rounds is enough for DynamoDB.'

VIOLATES = ['4.3']

EDITS = {
    'write_items_reliably': [
        ('            sleep(rng.uniform(0, min(cap, base * 2**retry)))',
         '            sleep(base)'),
    ],
}

EXPECTED_FAILURES = {
    'test_batch_write_only_unprocessed': 'should be rng.uniform',
}

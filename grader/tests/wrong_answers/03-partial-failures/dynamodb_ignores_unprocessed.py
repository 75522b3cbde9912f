"""write_items_reliably trusts the HTTP 200 and drops UnprocessedItems."""

BELIEVED = 'A BatchWriteItem call that returns 200 wrote every item.'

VIOLATES = ['4.2']

EDITS = {
    'write_items_reliably': [
        ('        pending = unprocessed',
         '        pending = []'),
    ],
}

EXPECTED_FAILURES = {
    'test_batch_write_all_items': 'never reached the table',
    'test_batch_write_only_unprocessed': 'resend unprocessed items',
}

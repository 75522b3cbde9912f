"""write_items_reliably trusts the HTTP 200 and drops UnprocessedItems."""

EDITS = {
    'write_items_reliably': [
        ('        pending = unprocessed',
         '        pending = []'),
    ],
}

EXPECTED_FAILURES = {
    'test_batch_write_all_items': 'are not in the table',
    'test_batch_write_gives_up': 'it was sent 1 times',
}

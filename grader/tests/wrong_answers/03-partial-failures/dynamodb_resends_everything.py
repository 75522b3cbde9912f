"""write_items_reliably resends every item when any came back unprocessed."""

EDITS = {
    'write_items_reliably': [
        ('        pending = unprocessed',
         '        pending = pending if unprocessed else []'),
    ],
}

EXPECTED_FAILURES = {
    'test_batch_write_only_unprocessed': 'Resend UnprocessedItems only',
}

"""write_items_reliably resends every item when any came back unprocessed."""

BELIEVED = 'If some items are unprocessed, the whole batch must be written again.'

VIOLATES = ['4.2']

EDITS = {
    'write_items_reliably': [
        ('        pending = unprocessed',
         '        pending = pending if unprocessed else []'),
    ],
}

EXPECTED_FAILURES = {
    'test_batch_write_only_unprocessed': 'Resend only the unprocessed items',
}

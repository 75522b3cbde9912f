"""write_items_reliably gives up quietly: it returns an empty list."""

BELIEVED = 'After max_attempts there is nothing more to do, and nothing to report.'

VIOLATES = ['4.5']

EDITS = {
    'write_items_reliably': [
        ('    return pending',
         '    return []'),
    ],
}

EXPECTED_FAILURES = {
    'test_batch_write_gives_up': 'Return every item never written',
}

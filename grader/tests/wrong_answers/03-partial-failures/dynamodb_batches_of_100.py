"""write_items_reliably sends up to 100 items per BatchWriteItem call."""

BELIEVED = 'BatchWriteItem takes as many items as the table can write, 100 at a time.'

VIOLATES = ['4.1']

EDITS = {
    'write_items_reliably': [
        ('        for start in range(0, len(pending), BATCH_WRITE_ITEM_MAX_ITEMS):',
         '        for start in range(0, len(pending), 100):'),
        ('for item in pending[start:start + BATCH_WRITE_ITEM_MAX_ITEMS]]',
         'for item in pending[start:start + 100]]'),
    ],
}

EXPECTED_FAILURES = {
    'test_batch_write_all_items': 'at most 25',
}

"""Waits drawn as rng.random() times the window, DynamoDB calls of 7 items, results sorted."""

EDITS = {
    'put_records_reliably': [
        ('            sleep(rng.uniform(0, min(cap, base * 2**retry)))',
         '            window = base * 2**retry if base * 2**retry < cap else cap\n'
         '            sleep(rng.random() * window)'),
    ],
    'write_items_reliably': [
        ('            sleep(rng.uniform(0, min(cap, base * 2**retry)))',
         '            sleep(min(cap, base * pow(2, retry)) * rng.uniform(0, 1))'),
        ('        for start in range(0, len(pending), BATCH_WRITE_ITEM_MAX_ITEMS):',
         '        for start in range(0, len(pending), 7):'),
        ('for item in pending[start:start + BATCH_WRITE_ITEM_MAX_ITEMS]]',
         'for item in pending[start:start + 7]]'),
        ('    return pending',
         '    return sorted(pending, key=lambda item: item["id"]["S"], reverse=True)'),
    ],
}

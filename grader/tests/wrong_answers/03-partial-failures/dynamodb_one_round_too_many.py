"""write_items_reliably sends max_attempts + 1 rounds."""

BELIEVED = 'max_attempts counts the retries after the first send.'

VIOLATES = ['4.4']

EDITS = {
    'write_items_reliably': [
        ('    for retry in range(-1, max_attempts - 1):',
         '    for retry in range(-1, max_attempts):'),
    ],
}

EXPECTED_FAILURES = {
    'test_batch_write_gives_up': 'it should be sent at most',
}

"""A duplicate that finds the order in progress returns None, so its message is deleted."""

EDITS = {
    'charge_once': [
        ('        raise RuntimeError(f"{key} is being charged by another invocation: try again later")',
         '        return None'),
    ],
}

EXPECTED_FAILURES = {
    'test_concurrent_duplicate_waits': 'It must raise instead',
}

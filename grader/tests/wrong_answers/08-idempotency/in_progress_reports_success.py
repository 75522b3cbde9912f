"""A duplicate that finds the order in progress returns None, so its message is deleted."""

BELIEVED = "A duplicate of an order that is being charged has nothing left to do, so it may report success."
VIOLATES = ["3.6"]

EDITS = {
    'charge_once': [
        ('        raise RuntimeError(f"{key} is being charged by another invocation: try again later")',
         '        return None'),
    ],
}

EXPECTED_FAILURES = {
    'test_concurrent_duplicate_waits': 'It must raise, so that its message comes back later',
}

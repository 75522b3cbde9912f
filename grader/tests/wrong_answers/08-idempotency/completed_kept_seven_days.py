"""Completed records are kept seven days: a message redriven in its second week charges again."""

BELIEVED = "Lambda gives up on a record after seven days, so a week covers every duplicate."
VIOLATES = ["3.10"]

EDITS = {
    'charge_once': [
        ('str(int(now()) + SQS_MAX_RETENTION_S)', 'str(int(now()) + 7 * 24 * 3600)'),
    ],
}

EXPECTED_FAILURES = {
    'test_late_redrive_is_remembered': 'keep completed records at least that long',
}

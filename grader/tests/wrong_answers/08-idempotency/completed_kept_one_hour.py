"""Completed records expire after an hour (Powertools' default): a late redrive charges."""

BELIEVED = "Powertools' default of an hour is long enough for any duplicate to have arrived."
VIOLATES = ["3.10"]

EDITS = {
    'charge_once': [
        ('str(int(now()) + SQS_MAX_RETENTION_S)', 'str(int(now()) + 3600)'),
    ],
}

EXPECTED_FAILURES = {
    'test_late_redrive_is_remembered': 'keep completed records at least that long',
}

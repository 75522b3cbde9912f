"""The availability alarm divides by the period's requests, and a period without any raises."""

BELIEVED = "Every period has requests."
VIOLATES = ["5.4"]

EDITS = {
    'alarms': [
        ("    if period.offered > 0 and period.acked / period.offered < AVAILABILITY_OBJECTIVE:\n",
         "    if period.acked / period.offered < AVAILABILITY_OBJECTIVE:\n"),
    ],
}

EXPECTED_FAILURES = {
    'test_alarms_watch_symptoms': 'ZeroDivisionError',
    'test_a_quiet_run_holds': 'alarms raised ZeroDivisionError',
}

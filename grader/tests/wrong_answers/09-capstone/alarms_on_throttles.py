"""The alarms fire on PutRecords failures: throttles the producer's retries absorb page people."""

BELIEVED = "Every throttle is a problem someone should hear about."
VIOLATES = ["5.5"]

EDITS = {
    'alarms': [
        ("    return raised\n",
         '    if period.put_failures and "availability" not in raised:\n'
         '        raised.append("availability")\n    return raised\n'),
    ],
}

EXPECTED_FAILURES = {
    'test_alarms_watch_symptoms': 'on a cause that retries absorb',
}

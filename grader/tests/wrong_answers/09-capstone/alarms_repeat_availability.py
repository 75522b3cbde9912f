"""alarms raises "availability" once for refused requests and again for unanswered ones."""

BELIEVED = "Two causes of one symptom are two alarms."
VIOLATES = ["5.1"]

EDITS = {
    'alarms': [
        ("    if period.offered > 0 and period.acked / period.offered < AVAILABILITY_OBJECTIVE:\n"
         '        raised.append("availability")\n',
         "    if period.offered > 0 and period.acked / period.offered < AVAILABILITY_OBJECTIVE:\n"
         '        if period.refused:\n            raised.append("availability")\n'
         '        if period.unanswered:\n            raised.append("availability")\n'),
    ],
}

EXPECTED_FAILURES = {
    'test_alarms_everywhere': 'each name once',
}

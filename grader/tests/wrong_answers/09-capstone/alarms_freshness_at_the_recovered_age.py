"""The freshness alarm fires at RECOVERED_AGE_S, the recovery bound, not at the objective."""

BELIEVED = "The lower the threshold, the safer the alarm."
VIOLATES = ["5.2"]

EDITS = {
    'alarms': [
        ("    if period.iterator_age_s > FRESHNESS_OBJECTIVE_S:\n",
         "    if period.iterator_age_s > RECOVERED_AGE_S:\n"),
    ],
}

EXPECTED_FAILURES = {
    'test_alarms_everywhere': "alarms raised 'freshness'",
    'test_alarms_work': 'the freshness alarm fired',
}

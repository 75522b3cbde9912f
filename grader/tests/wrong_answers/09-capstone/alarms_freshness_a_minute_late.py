"""The freshness alarm waits for an iterator age of a minute, twice the objective."""

BELIEVED = "An alarm should leave room before it pages anyone."
VIOLATES = ["5.2"]

EDITS = {
    'alarms': [
        ("    if period.iterator_age_s > FRESHNESS_OBJECTIVE_S:\n",
         "    if period.iterator_age_s > 2 * FRESHNESS_OBJECTIVE_S:\n"),
    ],
}

EXPECTED_FAILURES = {
    'test_alarms_watch_symptoms': "alarms did not raise 'freshness'",
}

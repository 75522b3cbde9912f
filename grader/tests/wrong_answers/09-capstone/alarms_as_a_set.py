"""alarms returns a set of names, not a list."""

BELIEVED = "A set is the natural type for names that occur at most once."
VIOLATES = ["5.1"]

EDITS = {
    'alarms': [
        ("    return raised\n", "    return set(raised)\n"),
    ],
}

EXPECTED_FAILURES = {
    'test_alarms_watch_symptoms': 'return a list of names',
}

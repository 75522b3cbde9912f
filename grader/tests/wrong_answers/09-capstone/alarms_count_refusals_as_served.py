"""The availability alarm counts a refused request as served: quiet as clients are turned away."""

BELIEVED = "A fast refusal is the system working, so it does not count against availability."
VIOLATES = ["5.4"]

EDITS = {
    'alarms': [
        ("period.acked / period.offered < AVAILABILITY_OBJECTIVE",
         "(period.acked + period.refused) / period.offered < AVAILABILITY_OBJECTIVE"),
    ],
}

EXPECTED_FAILURES = {
    'test_alarms_watch_symptoms': "alarms did not raise 'availability'",
    'test_alarms_work': 'the availability alarm did not fire',
}

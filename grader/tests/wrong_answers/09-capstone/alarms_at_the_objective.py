"""The availability alarm fires when exactly AVAILABILITY_OBJECTIVE of requests succeeded."""

BELIEVED = "At the objective is already a breach."
VIOLATES = ["5.4"]

EDITS = {
    'alarms': [
        ("period.acked / period.offered < AVAILABILITY_OBJECTIVE",
         "period.acked / period.offered <= AVAILABILITY_OBJECTIVE"),
    ],
}

EXPECTED_FAILURES = {
    'test_alarms_everywhere': "alarms raised 'availability'",
}

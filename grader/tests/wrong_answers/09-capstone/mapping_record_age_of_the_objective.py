"""The mapping's MaximumRecordAgeInSeconds is the freshness objective, below what Lambda accepts."""

BELIEVED = "A record older than the freshness objective is of no use, so drop it then."
VIOLATES = ["4.1"]

EDITS = {
    'mapping_config': [
        ('"MaximumRetryAttempts": 120,',
         '"MaximumRetryAttempts": 120,\n'
         '        "MaximumRecordAgeInSeconds": FRESHNESS_OBJECTIVE_S,'),
    ],
}

EXPECTED_FAILURES = {
    'test_mapping_is_accepted': 'Lambda would refuse these parameters',
}

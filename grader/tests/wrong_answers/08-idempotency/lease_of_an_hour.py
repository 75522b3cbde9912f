"""The in-progress lease is an hour: after a crash, the order waits an hour to be charged."""

BELIEVED = "A longer lease is safer: an hour leaves any invocation time to finish."
VIOLATES = ["2.6"]

EDITS = {
    'claim': [
        ('str(int(now_s) + FUNCTION_TIMEOUT_S)', 'str(int(now_s) + 3600)'),
    ],
}

EXPECTED_FAILURES = {
    'test_claim_expires_with_the_lease': 'It should expire FUNCTION_TIMEOUT_S',
    'test_crash_mid_way_charges_once': 'must have expired',
}

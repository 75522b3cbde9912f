"""The producer backs off exponentially but waits the whole ceiling, without jitter."""

BELIEVED = "Exponential backoff alone spreads retries out."
VIOLATES = ["2.3"]

EDITS = {
    'send_orders': [
        ("wait_s = rng.uniform(0, min(BACKOFF_CAP_S, BACKOFF_BASE_S * 2 ** retry))",
         "wait_s = min(BACKOFF_CAP_S, BACKOFF_BASE_S * 2 ** retry)"),
    ],
}

EXPECTED_FAILURES = {
    'test_send_orders_everywhere': "the contract's waits here are",
}

"""The producer's first retry waits under BACKOFF_BASE_S * 2 ** 0: its retries count from 0."""

BELIEVED = "The first retry's ceiling is the base itself."
VIOLATES = ["2.3"]

EDITS = {
    'send_orders': [
        ("BACKOFF_BASE_S * 2 ** retry))", "BACKOFF_BASE_S * 2 ** (retry - 1)))"),
    ],
}

EXPECTED_FAILURES = {
    'test_send_orders_everywhere': "the contract's waits here are",
}

"""The redrive policy parks a message in the DLQ after a single failed receive."""

EDITS = {
    'configure_queue': [
        ('"maxReceiveCount": 5', '"maxReceiveCount": 1'),
    ],
}

EXPECTED_FAILURES = {
    'test_queue_configuration': 'at least 5',
}

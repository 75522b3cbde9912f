"""The redrive policy parks a message in the DLQ after a single failed receive."""

BELIEVED = 'A message that failed once will fail again, so park it at once.'

VIOLATES = ['2.2']

EDITS = {
    'configure_queue': [
        ('"maxReceiveCount": 5', '"maxReceiveCount": 1'),
    ],
}

EXPECTED_FAILURES = {
    'test_queue_configuration': 'at least 5',
}

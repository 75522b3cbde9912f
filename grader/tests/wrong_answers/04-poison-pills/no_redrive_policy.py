"""The queue gets no redrive policy, so a poison message circles for ever."""

BELIEVED = 'Lambda drops a message that keeps failing on its own.'

VIOLATES = ['2.1', '2.7']

EDITS = {
    'configure_queue': [
        ('        "RedrivePolicy": json.dumps(redrive),\n', ''),
    ],
}

EXPECTED_FAILURES = {
    'test_queue_configuration': 'no RedrivePolicy',
    'test_sqs_poison_goes_to_dlq': 'still circle in the queue',
}

"""The queue gets no redrive policy, so a poison message circles for ever."""

EDITS = {
    'configure_queue': [
        ('        "RedrivePolicy": json.dumps(redrive),\n', ''),
    ],
}

EXPECTED_FAILURES = {
    'test_queue_configuration': 'no RedrivePolicy',
    'test_sqs_poison_goes_to_dlq': 'DLQ',
}

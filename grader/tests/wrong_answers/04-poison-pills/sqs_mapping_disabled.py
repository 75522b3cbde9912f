"""The SQS mapping is created disabled, so it never polls the queue."""

BELIEVED = "Enabled: False creates the mapping quietly; Lambda starts it once it is configured."

VIOLATES = ["2.7"]

EDITS = {
    "sqs_mapping": [
        ('{"BatchSize": 10, ', '{"Enabled": False, "BatchSize": 10, '),
    ],
}

EXPECTED_FAILURES = {
    "test_sqs_poison_goes_to_dlq": "Enabled false polls nothing",
}

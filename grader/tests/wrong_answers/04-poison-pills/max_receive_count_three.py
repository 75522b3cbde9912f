"""The redrive policy parks a message after three receives, below the count AWS recommends."""

BELIEVED = "Three tries are plenty before a message goes to the dead-letter queue."

VIOLATES = ["2.2"]

EDITS = {
    "configure_queue": [
        ('"maxReceiveCount": 5', '"maxReceiveCount": 3'),
    ],
}

EXPECTED_FAILURES = {
    "test_queue_configuration": "maxReceiveCount is 3",
}

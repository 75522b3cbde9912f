"""The RedrivePolicy is the dict's Python repr, not JSON."""

BELIEVED = "str() of a dict is the JSON that SQS expects."

VIOLATES = ["2.4"]

EDITS = {
    "configure_queue": [
        ('"RedrivePolicy": json.dumps(redrive),', '"RedrivePolicy": str(redrive),'),
    ],
}

EXPECTED_FAILURES = {
    "test_queue_configuration": "RedrivePolicy",
}

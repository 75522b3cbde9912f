"""The mapping has no OnFailure destination: a batch it gives up is gone without a trace."""

BELIEVED = "The handler sets poison aside itself, so the mapping needs no destination."
VIOLATES = ["4.3"]

EDITS = {
    'mapping_config': [
        ('        "DestinationConfig": {"OnFailure": {"Destination": failure_queue_arn}},\n', ""),
    ],
}

EXPECTED_FAILURES = {
    'test_mapping_is_accepted': 'a batch given up is gone without a trace',
}

"""The Kinesis mapping starts from LATEST, as AWS's console examples do, so the records
already in the stream when it is created are never read."""

BELIEVED = "A new mapping should handle new records; what came before is someone else's."

VIOLATES = ["4.6"]

EDITS = {
    "kinesis_mapping": [
        ('"StartingPosition": "TRIM_HORIZON",', '"StartingPosition": "LATEST",'),
    ],
}

EXPECTED_FAILURES = {
    "test_mapping_settings": "StartingPosition is LATEST",
    "test_kinesis_end_to_end": "StartingPosition is LATEST",
}

"""failed_records returns positions in the call instead of the indices sent."""

EDITS = {
    'failed_records': [
        ('    return [(index, entry["ErrorCode"])\n            for index, entry in zip(batch, response["Records"], strict=True)',
         '    return [(index, entry["ErrorCode"])\n            for index, entry in enumerate(response["Records"])'),
    ],
}

EXPECTED_FAILURES = {
    'test_failed_records': 'Those are positions in the call',
    'test_burst_lands_once': 'never reached the stream',
}

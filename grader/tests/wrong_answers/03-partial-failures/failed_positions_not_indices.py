"""failed_records returns positions in the call instead of the indices sent."""

BELIEVED = "The response's entries are numbered like the records list."

VIOLATES = ['2.2']

EDITS = {
    'failed_records': [
        ('    return [(index, entry["ErrorCode"])\n            for index, entry in zip(batch, response["Records"], strict=True)',
         '    return [(index, entry["ErrorCode"])\n            for index, entry in enumerate(response["Records"])'),
    ],
}

EXPECTED_FAILURES = {
    'test_failed_records': 'Those are positions in the call',
}

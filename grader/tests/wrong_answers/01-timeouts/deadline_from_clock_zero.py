"""call_with_deadline treats clock() as the time since the call started."""

BELIEVED = 'The clock starts at zero when the call starts.'
VIOLATES = ['3.5']

EDITS = {
    'call_with_deadline': [
        ('    started_s = clock()',
         '    started_s = 0.0'),
    ],
}

EXPECTED_FAILURES = {
    'test_deadline_never_outlived': 'from when call_with_deadline started',
}

"""plan_batches always closes its last call, even an empty one."""

BELIEVED = 'Every plan ends with a call, even when there is nothing to send.'

VIOLATES = ['1.1']

EDITS = {
    'plan_batches': [
        ('    if batch:\n        batches.append(batch)\n',
         '    batches.append(batch)\n'),
    ],
}

EXPECTED_FAILURES = {
    'test_plan_batches': 'takes 1 to 500 records',
}

"""With both queues empty, the pass falls off its end and returns None."""

BELIEVED = "Returning nothing says there was nothing to do."
VIOLATES = ["3.2"]

EDITS = {
    'consume_batch': [('''    else:
        return 0
''', '''    else:
        return None
''')],
}

EXPECTED_FAILURES = {
    'test_low_priority_served_when_main_is_empty': 'should return 0',
}

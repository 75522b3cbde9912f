"""A message from the low queue is deferred again and again, so old work is never done."""

EDITS = {
    'consume_batch': [('''        if name == "low" and action == "defer":
            action = "serve"
''', '')],
}

EXPECTED_FAILURES = {
    'test_low_priority_served_when_main_is_empty': 'must not be deferred again',
}

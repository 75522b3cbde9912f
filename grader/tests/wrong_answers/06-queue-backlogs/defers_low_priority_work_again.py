"""A message from the low queue is deferred again and again, so old work is never done."""

BELIEVED = "The low queue's messages are triaged like the main queue's."
VIOLATES = ["3.4"]

EDITS = {
    'consume_batch': [('''        if name == "low" and action == "defer":
            action = "serve"
''', '')],
}

EXPECTED_FAILURES = {
    'test_low_priority_served_when_main_is_empty': 'was deferred again',
}

"""The front door lets every request in: in a surge its queue grows past what clients wait for."""

BELIEVED = "A queue absorbs any burst, so refusing a request is never better than queueing it."
VIOLATES = ["1.2"]

ANSWERS = {
    'admit': '''def admit(request, door):
    """Let a request in only if it would be answered before its client gives up."""
    return True
''',
}

EXPECTED_FAILURES = {
    'test_admit_refuses_what_cannot_be_answered': 'Work for a client that has left is wasted',
    'test_overload': 'Revisit chapter 5',
}

"""The poller asks for 9 messages a turn, one short of what a receive can return."""

BELIEVED = "Up to 10 means fewer than 10."
VIOLATES = ["4.1"]

EDITS = {
    'make_poller': [('MaxNumberOfMessages=10', 'MaxNumberOfMessages=9')],
}

EXPECTED_FAILURES = {
    'test_poller_is_fair': 'Ask for 10',
}

"""The queue's visibility timeout equals the function timeout instead of 6 times it."""

BELIEVED = 'A message needs to stay hidden only as long as one invocation can run.'

VIOLATES = ['2.3']

EDITS = {
    'configure_queue': [
        ('str(6 * int(function_timeout_s))', 'str(int(function_timeout_s))'),
    ],
}

EXPECTED_FAILURES = {
    'test_queue_configuration': 'at least 6 times the function timeout',
}

"""The poller's first turn is queue 1: it counts the turn before receiving."""

BELIEVED = "Where the turns start does not matter, as long as they go round."
VIOLATES = ["4.1"]

EDITS = {
    'make_poller': [('    turn = 0\n', '    turn = 1\n')],
}

EXPECTED_FAILURES = {
    'test_poller_is_fair': 'should receive once, from queue 0',
}

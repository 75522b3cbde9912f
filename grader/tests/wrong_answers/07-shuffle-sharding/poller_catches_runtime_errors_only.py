"""The poller catches RuntimeError only, so any other error from handle stops it."""

BELIEVED = "handle fails with RuntimeError, as the visible test's does."
VIOLATES = ["4.3"]

EDITS = {
    'make_poller': [('            except Exception:\n', '            except RuntimeError:\n')],
}

EXPECTED_FAILURES = {
    'test_poller_keeps_failed_messages': 'whatever handle raises',
}

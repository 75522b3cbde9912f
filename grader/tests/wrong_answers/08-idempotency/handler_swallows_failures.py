"""The handler catches every failure and reports none: those messages are deleted."""

BELIEVED = "A failure that was caught is handled, and its message can be deleted."
VIOLATES = ["4.2"]

EDITS = {
    'make_handler': [
        ('                failures.append({"itemIdentifier": record["messageId"]})',
         '                pass'),
    ],
}

EXPECTED_FAILURES = {
    'test_handler_reports_failures': 'The handler should return',
    'test_handler_reports_every_failure': 'The handler did not report',
}

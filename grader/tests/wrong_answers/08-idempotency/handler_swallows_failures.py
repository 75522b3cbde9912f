"""The handler catches every failure and reports none: those messages are deleted."""

EDITS = {
    'make_handler': [
        ('                failures.append({"itemIdentifier": record["messageId"]})',
         '                pass'),
    ],
}

EXPECTED_FAILURES = {
    'test_handler_reports_failures': 'The handler should return',
    'test_end_to_end_exactly_once': 'were never charged',
}

"""The handler lets a failure escape: the whole batch fails, instead of the one message."""

EDITS = {
    'make_handler': [
        ('''            try:
                charge_once(record, dynamodb, gateway, now)
            except Exception:
                failures.append({"itemIdentifier": record["messageId"]})''',
         '''            charge_once(record, dynamodb, gateway, now)'''),
    ],
}

EXPECTED_FAILURES = {
    'test_handler_reports_failures': 'ConnectionError',
}

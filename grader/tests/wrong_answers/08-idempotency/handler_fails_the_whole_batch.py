"""The handler lets a failure escape: the whole batch fails, instead of the one message."""

BELIEVED = "Lambda retries a failed batch, so the handler can let a failure escape."
VIOLATES = ["4.1", "4.2"]

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
    'test_handler_reports_failures': 'The handler raised ConnectionError',
    'test_handler_reports_every_failure': 'report those records in batchItemFailures',
}

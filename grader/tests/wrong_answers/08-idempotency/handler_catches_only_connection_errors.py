"""The handler catches only ConnectionError: a timeout or an order in progress fails the batch."""

BELIEVED = "A failed payment is the only failure a record can have."
VIOLATES = ["4.2"]

EDITS = {
    'make_handler': [
        ('            except Exception:', '            except ConnectionError:'),
    ],
}

EXPECTED_FAILURES = {
    'test_handler_reports_every_failure': 'The handler raised RuntimeError',
}

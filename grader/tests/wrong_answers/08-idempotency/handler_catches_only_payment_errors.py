"""The handler catches only the payment API's errors and RuntimeError: a DynamoDB error from
charge_once escapes, and the rest of the batch is never charged."""

BELIEVED = "Only the payment call and an order in progress can make charge_once raise."
VIOLATES = ["4.1", "4.2"]

EDITS = {
    'make_handler': [
        ('            except Exception:',
         '            except (RuntimeError, ConnectionError, TimeoutError):'),
    ],
}

EXPECTED_FAILURES = {
    'test_handler_reports_every_failure': "It was DynamoDB's error",
}

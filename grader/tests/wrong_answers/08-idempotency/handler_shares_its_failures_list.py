"""The list of failures is made once in make_handler: each batch reports the failures of
every batch before it too."""

BELIEVED = "make_handler runs once per batch, so a list made there starts empty each time."
VIOLATES = ["4.3"]

EDITS = {
    'make_handler': [
        ('    def handler(event, context):\n        failures = []\n',
         '    failures = []\n\n    def handler(event, context):\n'),
    ],
}

EXPECTED_FAILURES = {
    'test_handler_reports_every_failure': 'records of the batch before',
}

"""The consumer parses a record's data as JSON without decoding it from base64 first."""

BELIEVED = "Lambda hands the handler the bytes the producer wrote."
VIOLATES = ["3.1"]

EDITS = {
    'make_handler': [
        ('json.loads(base64.b64decode(record["kinesis"]["data"]))',
         'json.loads(record["kinesis"]["data"])'),
    ],
}

EXPECTED_FAILURES = {
    'test_handler_charges_stores_and_sets_aside': 'the handler raised ValueError: Expecting value',
}

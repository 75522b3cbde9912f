"""process is given the whole message dict instead of its Body."""

BELIEVED = "The business logic wants the message, attributes and all."
VIOLATES = ["3.3"]

EDITS = {
    'consume_batch': [('''                process(message["Body"])''', '''                process(message)''')],
}

EXPECTED_FAILURES = {
    'test_consume_routes_by_age': 'call process(message["Body"])',
}

"""A served message is never deleted, so it comes back after its visibility timeout."""

BELIEVED = "Receiving a message takes it off the queue."
VIOLATES = ["3.7"]

EDITS = {
    'consume_batch': [('''            if action == "serve":
                process(message["Body"])''', '''            if action == "serve":
                process(message["Body"])
                continue''')],
}

EXPECTED_FAILURES = {
    'test_consume_routes_by_age': 'never deleted',
    'test_surge': 'two fates',
}

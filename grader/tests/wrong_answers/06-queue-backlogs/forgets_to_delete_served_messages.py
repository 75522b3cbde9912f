"""A served message is never deleted, so it comes back after its visibility timeout."""

EDITS = {
    'consume_batch': [('''            if action == "serve":
                process(message["Body"])''', '''            if action == "serve":
                process(message["Body"])
                continue''')],
}

EXPECTED_FAILURES = {
    'test_consume_routes_by_age': 'The main queue should be empty',
    'test_every_message_accounted_for': 'two fates',
}

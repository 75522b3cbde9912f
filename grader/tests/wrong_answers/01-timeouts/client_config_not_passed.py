"""make_client builds the Config but never hands it to the client."""

BELIEVED = 'Building a Config applies it to the clients made afterwards.'
VIOLATES = ['2.2', '2.3', '2.4', '2.5']

EDITS = {
    'make_client': [
        ('return session.client("dynamodb", config=config)',
         'return session.client("dynamodb")'),
    ],
}

EXPECTED_FAILURES = {
    'test_client_configuration': "botocore's defaults are 60 s each",
    'test_client_times_out': 'the client should make',
}

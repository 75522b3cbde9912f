"""make_client builds its own client with boto3.client, not from the session."""

BELIEVED = 'Any DynamoDB client with the right Config will do, wherever it comes from.'
VIOLATES = ['2.1']

EDITS = {
    'make_client': [
        ('    return session.client("dynamodb", config=config)',
         '    import boto3\n\n    return boto3.client("dynamodb", region_name="us-east-1", config=config)'),
    ],
}

EXPECTED_FAILURES = {
    'test_client_configuration': 'Build each client from the session you are given',
}

"""make_client builds its own client with boto3.client, not from the session."""

EDITS = {
    'make_client': [
        ('    return session.client("dynamodb", config=config)',
         '    import boto3\n\n    return boto3.client("dynamodb", region_name="us-east-1", config=config)'),
    ],
}

EXPECTED_FAILURES = {
    'test_client_configuration': 'Build clients from the session you are given',
}

"""make_client asks for botocore's legacy retry mode."""

EDITS = {
    'make_client': [
        ('"mode": "standard"',
         '"mode": "legacy"'),
    ],
}

EXPECTED_FAILURES = {
    'test_client_configuration': "ask for 'standard' explicitly",
}

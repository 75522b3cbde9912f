"""make_client asks for botocore's legacy retry mode."""

BELIEVED = "Any retry mode bounds the retries; the mode's name does not matter."
VIOLATES = ['2.4']

EDITS = {
    'make_client': [
        ('"mode": "standard"',
         '"mode": "legacy"'),
    ],
}

EXPECTED_FAILURES = {
    'test_client_configuration': "ask for 'standard' explicitly",
}

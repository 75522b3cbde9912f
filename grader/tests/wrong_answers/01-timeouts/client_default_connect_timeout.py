"""make_client leaves the connect timeout at botocore's 60 s default."""

BELIEVED = "botocore's connect timeout default is short enough; only the read timeout matters."
VIOLATES = ['2.2']

EDITS = {
    'make_client': [
        ('        connect_timeout=connect_timeout_s,\n',
         ''),
    ],
}

EXPECTED_FAILURES = {
    'test_client_configuration': "botocore's defaults are 60 s each",
}

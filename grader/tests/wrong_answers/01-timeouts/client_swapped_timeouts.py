"""make_client passes the read timeout as the connect timeout and the other way round."""

BELIEVED = 'connect_timeout and read_timeout are two names for one setting.'
VIOLATES = ['2.2', '2.3']

EDITS = {
    'make_client': [
        ('connect_timeout=connect_timeout_s,',
         'connect_timeout=read_timeout_s,'),
        ('read_timeout=read_timeout_s,',
         'read_timeout=connect_timeout_s,'),
    ],
}

EXPECTED_FAILURES = {
    'test_client_configuration': "botocore's defaults are 60 s each",
    'test_client_times_out': 'each attempt should give up',
}

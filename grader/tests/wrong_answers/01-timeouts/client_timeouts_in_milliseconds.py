"""make_client converts the timeouts to milliseconds before handing them to botocore."""

BELIEVED = 'botocore takes its timeouts in milliseconds, like most HTTP libraries.'
VIOLATES = ['2.2', '2.3']

EDITS = {
    'make_client': [
        ('connect_timeout=connect_timeout_s,',
         'connect_timeout=connect_timeout_s * 1000,'),
        ('read_timeout=read_timeout_s,',
         'read_timeout=read_timeout_s * 1000,'),
    ],
}

EXPECTED_FAILURES = {
    'test_client_configuration': 'in seconds, as given',
}

"""make_client sets the connect timeout only, leaving the read timeout at 60 s."""

BELIEVED = 'Once connected, a call always answers quickly.'
VIOLATES = ['2.3']

EDITS = {
    'make_client': [
        ('        read_timeout=read_timeout_s,\n',
         ''),
    ],
}

EXPECTED_FAILURES = {
    'test_client_configuration': "Set both in the client's Config",
    'test_client_times_out': 'after the read timeout',
}

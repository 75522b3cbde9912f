"""make_client keeps one client per settings, whichever session asks for it next."""

BELIEVED = "Clients are expensive, so one per set of settings can be reused."
VIOLATES = ["2.1"]

EDITS = {
    'make_client': [('''    return session.client("dynamodb", config=config)''',
                     '''    key = (connect_timeout_s, read_timeout_s, max_attempts)
    if key not in _CLIENTS:  # clients are expensive: reuse one per setting
        _CLIENTS[key] = session.client("dynamodb", config=config)
    return _CLIENTS[key]'''),
                    ('''def make_client(''', '''_CLIENTS = {}


def make_client(''')],
}

EXPECTED_FAILURES = {
    'test_client_configuration': "nor one kept from an earlier call",
}

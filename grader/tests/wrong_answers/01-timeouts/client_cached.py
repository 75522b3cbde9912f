"""make_client makes one client on its first call and returns it ever after."""

BELIEVED = "Clients are expensive, so the first one can serve every later call."
VIOLATES = ["2.1"]

ANSWERS = {
    "make_client": '''\
def make_client(session, *, connect_timeout_s, read_timeout_s, max_attempts):
    """Reuse one client: creating clients is slow."""
    global _shared_client
    try:
        return _shared_client
    except NameError:
        config = Config(connect_timeout=connect_timeout_s, read_timeout=read_timeout_s,
                        retries={"mode": "standard", "total_max_attempts": max_attempts})
        _shared_client = session.client("dynamodb", config=config)
        return _shared_client
''',
}

EXPECTED_FAILURES = {
    "test_client_configuration": "nor one kept from an earlier call",
}

"""make_client always allows 3 attempts, whatever max_attempts says."""

BELIEVED = "Three attempts is botocore's standard, so it is the right number for every client."
VIOLATES = ["2.5"]

ANSWERS = {
    "make_client": '''\
def make_client(session, *, connect_timeout_s, read_timeout_s, max_attempts):
    settings = {
        "connect_timeout": connect_timeout_s,
        "read_timeout": read_timeout_s,
        "retries": {"mode": "standard", "total_max_attempts": 3},
    }
    return session.client(service_name="dynamodb", config=Config(**settings))
''',
}

EXPECTED_FAILURES = {
    "test_client_configuration": "attempt(s) in all, not",
}

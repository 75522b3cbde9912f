"""make_client asks for botocore's adaptive retry mode, built from two merged Configs."""

BELIEVED = "Adaptive mode is standard mode and more, so it satisfies a request for standard."
VIOLATES = ["2.4"]

ANSWERS = {
    "make_client": '''\
def make_client(session, *, connect_timeout_s, read_timeout_s, max_attempts):
    timeouts = Config(connect_timeout=connect_timeout_s, read_timeout=read_timeout_s)
    retries = Config(retries={"mode": "adaptive", "total_max_attempts": max_attempts})
    return session.client("dynamodb", config=timeouts.merge(retries))
''',
}

EXPECTED_FAILURES = {
    "test_client_configuration": "ask for 'standard' explicitly",
}

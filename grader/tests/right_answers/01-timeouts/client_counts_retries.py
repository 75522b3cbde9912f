"""make_client counts retries with max_attempts - 1, merges two Configs and names the region."""

ANSWERS = {
    "make_client": '''\
def make_client(session, *, connect_timeout_s, read_timeout_s, max_attempts):
    timeouts = Config(connect_timeout=connect_timeout_s, read_timeout=read_timeout_s)
    # botocore's "max_attempts" counts the retries after the first call
    retries = Config(retries={"mode": "standard", "max_attempts": max_attempts - 1})
    return session.client(service_name="dynamodb", region_name="us-east-1",
                          config=timeouts.merge(retries))
''',
}

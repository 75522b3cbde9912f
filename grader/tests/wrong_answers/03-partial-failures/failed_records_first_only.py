"""failed_records stops at the first failed entry."""

BELIEVED = 'One failed entry means the call failed from there on, so the first is enough.'

VIOLATES = ['2.1']

ANSWERS = {
    'failed_records': '''\
def failed_records(batch, response):
    if response["FailedRecordCount"] == 0:
        return []
    for position in range(len(batch)):
        entry = response["Records"][position]
        if "ErrorCode" in entry:
            return [(batch[position], entry["ErrorCode"])]
    return []
''',
}

EXPECTED_FAILURES = {
    'test_failed_records': 'every entry with an ErrorCode is a failed record',
}

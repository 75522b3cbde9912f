"""failed_records takes the last FailedRecordCount records of the call as the failed ones."""

BELIEVED = 'Kinesis puts the failed records at the end of its answer.'

VIOLATES = ['2.1']

ANSWERS = {
    'failed_records': '''\
def failed_records(batch, response):
    count = response.get("FailedRecordCount", 0)
    if not count:
        return []
    tail = response["Records"][-count:]
    return [(index, entry.get("ErrorCode")) for index, entry in zip(batch[-count:], tail)]
''',
}

EXPECTED_FAILURES = {
    'test_failed_records': 'wherever it is',
}

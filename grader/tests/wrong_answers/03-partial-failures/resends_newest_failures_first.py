"""put_records_reliably resends the failed records from a stack, newest first."""

BELIEVED = 'The order in which failed records are resent does not matter.'

VIOLATES = ['3.1']

ANSWERS = {
    'put_records_reliably': '''\
def put_records_reliably(kinesis, stream, records, *, max_attempts=5, base=0.1, cap=2.0,
                         sleep=time.sleep, rng=random):
    result = {i: TOO_LARGE for i, rec in enumerate(records) if record_size(rec) > KINESIS_RECORD_MAX_BYTES}
    stack = [i for i in range(len(records)) if i not in result]
    last_code = {}
    for retry in range(-1, max_attempts - 1):
        if not stack:
            break
        if retry >= 0:
            sleep(rng.uniform(0, min(cap, base * 2**retry)))
        failed_now = []
        for batch in plan_batches([records[i] for i in stack]):
            sent = [stack[p] for p in batch]
            for index, code in failed_records(sent, kinesis.put_records(
                    StreamName=stream, Records=[records[i] for i in sent])):
                failed_now.append(index)
                last_code[index] = code
        stack = failed_now[::-1]  # pop the newest failures first
    result.update({i: last_code[i] for i in stack})
    return result
''',
}

EXPECTED_FAILURES = {
    'test_only_failed_resent': 'in the order of records',
}

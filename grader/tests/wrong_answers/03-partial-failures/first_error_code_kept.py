"""put_records_reliably reports the first error code a record got, not the last."""

BELIEVED = 'The first failure is the cause; later ones only repeat it.'

VIOLATES = ['3.4']

ANSWERS = {
    'put_records_reliably': '''\
def put_records_reliably(kinesis, stream, records, *, max_attempts=5, base=0.1, cap=2.0,
                         sleep=time.sleep, rng=random):
    result = {}
    todo = []
    for i, record in enumerate(records):
        if record_size(record) > KINESIS_RECORD_MAX_BYTES:
            result[i] = TOO_LARGE
        else:
            todo.append(i)
    first_error = {}
    attempt = 0
    while todo and attempt < max_attempts:
        if attempt > 0:
            sleep(rng.uniform(0, min(cap, base * 2 ** (attempt - 1))))
        failed_now = []
        for batch in plan_batches([records[i] for i in todo]):
            indices = [todo[p] for p in batch]
            answer = kinesis.put_records(StreamName=stream, Records=[records[i] for i in indices])
            for index, code in failed_records(indices, answer):
                first_error.setdefault(index, code)
                failed_now.append(index)
        todo = sorted(failed_now)
        attempt += 1
    for i in todo:
        result[i] = first_error[i]
    return result
''',
}

EXPECTED_FAILURES = {
    'test_permanent_failure_reported': 'so report its last code',
}
